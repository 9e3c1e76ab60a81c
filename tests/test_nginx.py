"""The load balancer's configuration (analytics/serving/nginx.py): affinity over every process,
accepted by nginx itself, Streamlit's bundles copied with their gzip beside them.
"""

from __future__ import annotations

import gzip
import subprocess
from pathlib import Path

import pytest
import streamlit

from analytics.serving import nginx

NGINX = nginx.nginx_path()


def test_the_upstream_hashes_on_the_affinity_cookie_over_every_process(tmp_path):
    conf = nginx.nginx_config(tmp_path, "127.0.0.1", 8501, [9001, 9002], fleet_id="t0")
    upstream = conf[conf.index("    upstream dashboards {") : conf.index("    proxy_http_version")]
    assert upstream == (
        "    upstream dashboards {\n"
        "        hash $affinity consistent;\n"
        "        server 127.0.0.1:9001 max_fails=1 fail_timeout=10s;\n"
        "        server 127.0.0.1:9002 max_fails=1 fail_timeout=10s;\n"
        "    }\n"
    )
    assert "        listen 127.0.0.1:8501;\n" in conf
    assert f"pid {tmp_path}/nginx.pid;\n" in conf
    assert "daemon off;\n" in conf


@pytest.mark.parametrize("trusted", ["", "10.0.0.0/8,192.0.2.7"])
def test_nginx_accepts_the_configuration(tmp_path, trusted):
    conf = tmp_path / "nginx.conf"
    conf.write_text(
        nginx.nginx_config(
            tmp_path, "127.0.0.1", 8501, [9001, 9002], fleet_id="t0", trusted_proxies=trusted
        )
    )
    result = subprocess.run(
        [str(NGINX), "-t", "-p", str(tmp_path), "-c", str(conf), "-e", str(tmp_path / "e.log")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "syntax is ok" in result.stderr


def test_streamlits_text_files_are_copied_with_a_level_9_gzip_beside_each(tmp_path):
    copy = nginx.copy_static(tmp_path)
    source = Path(streamlit.__file__).parent / "static"
    assert copy == tmp_path / nginx.STATIC
    # the largest bundle (Plotly's), as a visitor's browser asks for it under /static/
    bundle = max((source / "static" / "js").glob("*.js"), key=lambda p: p.stat().st_size)
    copied = copy / "static" / "js" / bundle.name
    packed = copied.with_name(bundle.name + ".gz").read_bytes()
    assert copied.read_bytes() == bundle.read_bytes()
    assert gzip.decompress(packed) == bundle.read_bytes()
    assert len(packed) <= len(gzip.compress(bundle.read_bytes(), 9, mtime=0))
    # the same bytes on every start (no time stamp), and no gzip beside what is compressed already
    again = nginx.copy_static(tmp_path / "again")
    assert (again / "static" / "js" / (bundle.name + ".gz")).read_bytes() == packed
    pictures = list((copy / "static").rglob("*.png"))
    assert pictures
    assert [p for p in pictures if p.with_name(p.name + ".gz").exists()] == []
