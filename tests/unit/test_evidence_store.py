"""The evidence store on a temporary directory: nothing partial or orphaned is ever left behind."""

from __future__ import annotations

import hashlib
import io

import pytest

from app.services.evidence_store import EvidenceStore, TooLarge


class Exploding(io.BytesIO):
    def read(self, size: int | None = -1) -> bytes:
        if self.tell() >= 10:
            raise ConnectionResetError("client gone")
        return super().read(size)


def test_a_kept_file_has_a_random_name_its_hash_and_size(tmp_path):
    store = EvidenceStore(tmp_path, chunk_size=4)
    data = b"evidence bytes"
    with store.receive(io.BytesIO(data), max_bytes=100) as received:
        assert (received.size, received.sha256) == (len(data), hashlib.sha256(data).hexdigest())
        assert received.path.parent == tmp_path and received.path.name.startswith(".incoming-")
        name = store.keep(received)
    assert [p.name for p in tmp_path.iterdir()] == [name] and len(name) == 64
    with store.open(name) as stored:
        assert stored.read() == data


def test_a_received_file_not_kept_is_removed(tmp_path):
    store = EvidenceStore(tmp_path)
    with store.receive(io.BytesIO(b"refused"), max_bytes=100):
        pass
    assert list(tmp_path.iterdir()) == []


def test_the_copy_stops_at_the_limit(tmp_path):
    store = EvidenceStore(tmp_path, chunk_size=4)
    source = io.BytesIO(b"x" * 1000)
    with pytest.raises(TooLarge), store.receive(source, max_bytes=10):
        pytest.fail("never reached")
    assert source.tell() == 12  # three chunks of four: it stopped as soon as it passed 10
    assert list(tmp_path.iterdir()) == []


def test_an_interrupted_stream_leaves_nothing(tmp_path):
    store = EvidenceStore(tmp_path, chunk_size=4)
    with pytest.raises(ConnectionResetError), store.receive(Exploding(b"y" * 100), max_bytes=1000):
        pytest.fail("never reached")
    assert list(tmp_path.iterdir()) == []


def test_a_kept_file_is_moved_into_place_under_a_storage_name(tmp_path):
    store = EvidenceStore(tmp_path)
    with store.receive(io.BytesIO(b"kept"), max_bytes=100) as received:
        name = store.keep(received)
    assert store.exists(name)
    assert [path.name for path in tmp_path.iterdir()] == [name]


@pytest.mark.parametrize("name", ["../x", "/etc/passwd", "g" * 64, "A" * 64, "", "0" * 63 + "/"])
def test_only_storage_names_are_opened(tmp_path, name):
    with pytest.raises(ValueError):
        EvidenceStore(tmp_path).open(name)
