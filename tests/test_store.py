"""analytics/pipeline/store.py: private folders in a shared temporary folder."""

from __future__ import annotations

import os
import stat

import pytest

from analytics.pipeline.store import private_dir


def test_a_new_private_folder_is_closed_to_everyone_else(tmp_path):
    folder = private_dir(tmp_path / "mine")
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert private_dir(folder) == folder  # and found again as it was left


@pytest.mark.parametrize("mode", [0o777, 0o750, 0o701])
def test_a_folder_open_to_others_is_refused(tmp_path, mode):
    folder = tmp_path / "planted"
    folder.mkdir()
    folder.chmod(mode)
    with pytest.raises(PermissionError) as info:
        private_dir(folder)
    assert str(info.value) == f"{folder} is open to other users (mode {mode:o})"


def test_a_link_or_a_file_in_its_place_is_refused(tmp_path):
    target = tmp_path / "elsewhere"
    target.mkdir(mode=0o700)
    link = tmp_path / "link"
    link.symlink_to(target)
    with pytest.raises(PermissionError, match=f"^{link} is not a folder"):
        private_dir(link)
    file = tmp_path / "file"
    file.write_text("x")
    with pytest.raises(PermissionError, match=f"^{file} is not a folder"):
        private_dir(file)


@pytest.mark.skipif(os.geteuid() != 0, reason="only root can give a folder to another user")
def test_a_folder_of_another_user_is_refused(tmp_path):
    folder = tmp_path / "theirs"
    folder.mkdir(mode=0o700)
    os.chown(folder, 65534, 65534)
    with pytest.raises(PermissionError) as info:
        private_dir(folder)
    assert str(info.value) == f"{folder} belongs to another user (uid 65534)"
