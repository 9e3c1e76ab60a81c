"""The dashboard's Streamlit pieces (the only package besides app_pages/ that imports Streamlit)."""
