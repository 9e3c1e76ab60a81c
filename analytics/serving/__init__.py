"""Serving: one dashboard process (server), a fleet of them behind nginx (fleet, nginx,
children), the data API (api) and the limits every process shares (throttle).
"""
