"""notebook_setup gives torch one thread per CPU this kernel may use: its affinity and the container's quota."""
import os

import pytest
import torch

import tlteach as tt
from tlteach import notebook
from tlteach.errors import TLTeachError


@pytest.fixture(autouse=True)
def _keep_threads(monkeypatch):
    monkeypatch.delenv("TLTEACH_THREADS", raising=False)
    before = torch.get_num_threads()
    yield
    torch.set_num_threads(before)


def _cgroup_v2(tmp_path, text):
    (tmp_path / "cpu.max").write_text(text)
    return str(tmp_path)


def _cgroup_v1(tmp_path, quota, period=100000):
    (tmp_path / "cpu").mkdir()
    (tmp_path / "cpu" / "cpu.cfs_quota_us").write_text(f"{quota}\n")
    (tmp_path / "cpu" / "cpu.cfs_period_us").write_text(f"{period}\n")
    return str(tmp_path)


@pytest.fixture
def eight_cores(monkeypatch):
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: set(range(8)), raising=False)


@pytest.mark.parametrize("quota, cpus", [("200000 100000", 2), ("150000 100000", 2), ("50000 100000", 1),
                                         ("max 100000", 8), ("1600000 100000", 8)])
def test_cgroup_v2_quota_caps_the_threads(tmp_path, eight_cores, quota, cpus):
    assert notebook.available_cpus(_cgroup_v2(tmp_path, quota + "\n")) == cpus


@pytest.mark.parametrize("quota, cpus", [(100000, 1), (300000, 3), (-1, 8)])
def test_cgroup_v1_quota_caps_the_threads(tmp_path, eight_cores, quota, cpus):
    assert notebook.available_cpus(_cgroup_v1(tmp_path, quota)) == cpus


def test_affinity_caps_the_threads(tmp_path, monkeypatch):
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {3}, raising=False)
    assert notebook.available_cpus(_cgroup_v2(tmp_path, "400000 100000")) == 1


def test_no_cgroup_files_means_the_affinity(tmp_path, eight_cores):
    assert notebook.available_cpus(str(tmp_path / "nothing")) == 8


def test_teacher_sets_the_threads(tmp_path, eight_cores, monkeypatch):
    monkeypatch.setenv("TLTEACH_THREADS", "3")
    assert notebook.choose_threads(_cgroup_v2(tmp_path, "100000 100000")) == 3
    for bad in ("0", "two", "-1"):
        monkeypatch.setenv("TLTEACH_THREADS", bad)
        with pytest.raises(TLTeachError, match="TLTEACH_THREADS"):
            notebook.choose_threads()


def test_notebook_setup_sets_and_prints_the_threads(monkeypatch, capsys):
    monkeypatch.setattr(notebook, "available_cpus", lambda *a, **k: 1)
    tt.notebook_setup(seed=0)
    assert torch.get_num_threads() == 1 and "CPU, 1 thread" in capsys.readouterr().out
    monkeypatch.setenv("TLTEACH_THREADS", "2")
    tt.notebook_setup(seed=0)
    assert torch.get_num_threads() == 2 and "CPU, 2 thread" in capsys.readouterr().out


def test_this_machine_gets_at_least_one_thread_and_at_most_its_cores():
    """Whatever this machine's quota (the fakes above check each kind): one thread or more, never more than the CPUs
    this process may run on."""
    assert 1 <= notebook.available_cpus() <= len(os.sched_getaffinity(0))
