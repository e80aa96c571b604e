"""Issue 15: the state store's cheaper reads (`has`, `keys`, `fields`) answer what the plain
`get`/`items` answer, and the binder's ids from keys already computed are identity.id_candidates."""
from __future__ import annotations

import json
import math

import pytest

from crawler.dedup.binding import candidates_from_keys
from crawler.identity import dedup_keys, id_candidates
from crawler.state import SqliteStateStore, StateStore


@pytest.fixture
def store(tmp_path):
    s = SqliteStateStore(str(tmp_path / "state.sqlite3"))
    yield s
    s.close()


VALUES = {
    "a": {"record": {"portal": "http://p/", "organ": "漫湾镇人民政府", "report_year": 2023}, "urls": []},
    "b": {"record": {"portal": None, "organ": "", "report_year": 1.0}},
    "c": {"record": {"portal": 5, "organ": ["x", 1], "report_year": True}},
    "d": {"record": {"organ": {"nested": "中\"文\\"}, "report_year": 12345678901234567890123}},
    "e": {"record": "not a dict"},
    "f": {"other": 1},
    "g": None,          # stored as JSON null: get() is None, so has() is False
    "h": [1, 2],
    "i": {"record": {"portal": "p", "organ": "o", "report_year": -0.0}},
}
PATHS = (("record", "portal"), ("record", "organ"), ("record", "report_year"))


def fill(store, values):
    for k, v in values.items():
        store.put("buffer", k, v)
    store.put("other", "zz", {"record": {"portal": "elsewhere"}})


def generic(store, ns, *paths):
    return list(StateStore.fields(store, ns, *paths))


def test_fields_are_the_values_a_full_decode_finds(store):
    fill(store, VALUES)
    got = list(store.fields("buffer", *PATHS))
    assert got == generic(store, "buffer", *PATHS)
    assert [k for k, _ in got] == sorted(VALUES)
    assert dict(got)["d"][2] == 12345678901234567890123 and type(dict(got)["b"][2]) is float
    assert math.copysign(1, dict(got)["i"][2]) == -1
    assert list(store.fields("buffer", ("record", "organ"))) == generic(store, "buffer", ("record", "organ"))
    assert list(store.fields("buffer", ("record", "a-b"))) == generic(store, "buffer", ("record", "a-b"))


def test_fields_fall_back_when_sqlite_cannot_read_the_json(store):
    fill(store, {**VALUES, "nan": {"record": {"portal": "p", "report_year": float("nan")}}})
    got = list(store.fields("buffer", *PATHS))
    assert [k for k, _ in got] == sorted([*VALUES, "nan"])
    assert math.isnan(dict(got)["nan"][2])
    assert [v for k, v in got if k != "nan"] == [v for k, v in generic(store, "buffer", *PATHS) if k != "nan"]


def test_fields_see_uncommitted_writes_and_deletes(store):
    fill(store, VALUES)
    store.commit()
    store.delete("buffer", "a")
    store.put("buffer", "b", {"record": {"portal": "new"}})
    got = dict(store.fields("buffer", *PATHS))
    assert "a" not in got and got["b"] == ["new", None, None]
    store.rollback()
    assert dict(store.fields("buffer", *PATHS))["b"] == [None, "", 1.0]


def test_has_and_keys_agree_with_get_and_items(store):
    fill(store, VALUES)
    for k in [*VALUES, "missing"]:
        assert store.has("buffer", k) == (store.get("buffer", k) is not None), k
        assert store.has("buffer", k) == StateStore.has(store, "buffer", k)
    assert not store.has("buffer", "g") and store.get("buffer", "g") is None
    assert list(store.keys("buffer")) == [k for k, _ in store.items("buffer")] == sorted(VALUES)
    assert json.loads(store.db.execute("SELECT v FROM kv WHERE ns='buffer' AND k='g'").fetchone()[0]) is None


RECORDS = [
    {"status": "complete", "organ": "米易县得石镇人民政府", "report_year": 2023, "portal": "http://www.scmiyi.gov.cn/",
     "index_no": "11510421MB1234567X/2024-00012", "content_sha1": "abc", "url": "http://www.scmiyi.gov.cn/a/1.html",
     "document_url": "http://www.scmiyi.gov.cn/a/1.pdf", "title": "得石镇2023年政府信息公开工作年度报告"},
    {"status": "partial", "url": "http://x.gov.cn/t.html"},
    {"status": "complete", "document_url": "http://x.gov.cn/f.docx", "url": "http://x.gov.cn/p.html",
     "organ": "景东彝族自治县漫湾镇人民政府", "report_year": "2023", "publisher": "漫湾镇"},
    {"status": "complete", "organ": "某县人民政府办公室", "report_year": 2022, "portal": "http://a.gov.cn/",
     "content_sha1": "ff", "url": "http://a.gov.cn/x_wap.html"},
    {},
]


def test_ids_from_computed_keys_are_identitys_id_candidates():
    for record in RECORDS:
        assert candidates_from_keys(record, dedup_keys(record)) == id_candidates(record), record
