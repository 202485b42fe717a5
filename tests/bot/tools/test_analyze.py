"""`barista analyze`: JSONL in, one JSON object per line out, profiles at the end."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from bot.tools.analyze import MAX_TS, SYNTHETIC_START, SYNTHETIC_STEP_S, run_analyze
from profiling.engine import EngineConfig, ProfileEngine

ROOT = Path(__file__).resolve().parents[3]
T0 = 1_772_442_000.0  # 2026-03-02 09:00 UTC


@pytest.fixture(scope="module")
def engine() -> ProfileEngine:
    return ProfileEngine(EngineConfig(utc_offset_minutes=0))


def _line(**fields: Any) -> str:
    return json.dumps(fields, ensure_ascii=False)


def analyze(
    tmp_path: Path,
    engine: ProfileEngine,
    content: str | bytes | list[str],
    *,
    profiles: bool = False,
) -> tuple[int, list[dict[str, Any]]]:
    if isinstance(content, list):
        content = "\n".join(content) + "\n"
    data = content.encode("utf-8") if isinstance(content, str) else content
    source = tmp_path / "in.jsonl"
    source.write_bytes(data)
    target = tmp_path / "out.jsonl"
    code = run_analyze(str(source), str(target), profiles=profiles, engine=engine)
    lines = target.read_text(encoding="utf-8").splitlines()
    return code, [json.loads(line) for line in lines]


def test_good_lines_carry_the_analysis_and_echo_fields(tmp_path: Path, engine: ProfileEngine):
    code, out = analyze(
        tmp_path,
        engine,
        [
            _line(id="a-1", user="anna", ts=T0, text="Сколько стоит кофемолка?"),
            _line(text="Thanks, the parcel arrived!"),
        ],
    )
    assert code == 0
    first, second = out
    assert first["id"] == "a-1" and first["user"] == "anna" and first["line"] == 1
    assert first["type"] == "message" and first["direction"] == "in" and first["ts"] == T0
    assert first["lang"] == "ru" and first["questions"] >= 1
    assert second["lang"] == "en" and second["id"] == 2 and "user" not in second
    for obj in out:
        assert obj["sentiment"] in {"negative", "neutral", "positive"}
        assert 0.0 <= obj["irritation"] <= 1.0
        assert obj["irritation"] == round(obj["irritation"], 3)
        assert isinstance(obj["intent"], str) and isinstance(obj["waiting_complaint"], bool)
        assert -1.0 <= obj["formality"] <= 1.0 and -1.0 <= obj["polarity"] <= 1.0


def test_seed_cases(tmp_path: Path, engine: ProfileEngine):
    _, out = analyze(
        tmp_path,
        engine,
        [
            _line(id="calm", text="Подскажите статус моего заказа"),
            _line(id="angry", text="Где мой заказ?? Жду уже неделю!!!"),
        ],
    )
    calm, angry = out
    assert (calm["id"], calm["sentiment"]) == ("calm", "neutral")
    assert angry["id"] == "angry"
    assert angry["sentiment"] == "negative"
    assert angry["irritation"] >= 0.6
    assert angry["intent"] == "order_status"
    assert angry["irritation"] > calm["irritation"]


@pytest.mark.parametrize(
    ("raw", "error", "echoed_id"),
    [
        ("{not json", "invalid JSON", None),
        ('{"id": NaN, "text": "hi"}', "invalid JSON", None),
        pytest.param("[" * 100_000 + "]" * 100_000, "nested too deeply", None, id="deep"),
        ('["a list"]', "expected a JSON object", None),
        ('"just a string"', "expected a JSON object", None),
        ('{"id": 7}', "missing text", 7),
        ('{"id": "x", "text": null}', "missing text", "x"),
        ('{"id": 8, "text": ""}', "empty text", 8),
        ('{"text": "   "}', "empty text", None),
        ('{"id": 9, "text": 42}', "text must be a string", 9),
        ('{"text": ["a"]}', "text must be a string", None),
        ('{"id": 10, "text": "hi", "ts": "yesterday"}', "bad ts", 10),
        ('{"text": "hi", "ts": true}', "bad ts", None),
        ('{"text": "hi", "ts": -5}', "bad ts", None),
        ('{"text": "hi", "ts": {"s": 1}}', "bad ts", None),
        (json.dumps({"text": "hi", "ts": MAX_TS * 10}), "milliseconds", None),
        ('{"id": 11, "text": "hi", "direction": "sideways"}', "bad direction", 11),
        ('{"text": "hi", "direction": 1}', "bad direction", None),
        ('{"id": 12, "text": "hi", "user": ["a"]}', "bad user", 12),
    ],
)
def test_bad_lines_become_error_objects(
    tmp_path: Path, engine: ProfileEngine, raw: str, error: str, echoed_id: Any
):
    code, out = analyze(tmp_path, engine, [_line(text="до"), raw, _line(text="после")])
    assert code == 0
    assert [o.get("type") for o in out] == ["message", None, "message"]
    bad = out[1]
    assert bad["line"] == 2
    assert error in bad["error"]
    assert "sentiment" not in bad
    if echoed_id is None:
        assert "id" not in bad
    else:
        assert bad["id"] == echoed_id


def test_invalid_utf8_line_is_an_error_not_a_crash(tmp_path: Path, engine: ProfileEngine):
    data = b'{"text": "ok"}\n{"text": "\xff\xfe"}\n{"text": "fine"}\n'
    code, out = analyze(tmp_path, engine, data)
    assert code == 0
    assert out[1] == {"line": 2, "error": "not valid UTF-8"}
    assert out[2]["line"] == 3 and out[2]["sentiment"]


def test_blank_lines_bom_and_crlf(tmp_path: Path, engine: ProfileEngine):
    body = _line(id=1, text="Привет") + "\r\n\r\n   \r\n" + _line(id=2, text="Hello") + "\r\n"
    data = ("\ufeff" + body).encode("utf-8")
    code, out = analyze(tmp_path, engine, data)
    assert code == 0
    assert [(o["id"], o["line"]) for o in out] == [(1, 1), (2, 4)]
    assert [o["lang"] for o in out] == ["ru", "en"]


@pytest.mark.parametrize(
    ("ts", "expected"),
    [
        ("2026-03-02T09:00:00Z", T0),
        ("2026-03-02T12:00:00+03:00", T0),
        ("2026-03-02T09:00:00", T0),  # no offset: UTC
        ("2026-03-02 09:00:00.500", T0 + 0.5),
        (T0, T0),
        (int(T0), T0),
    ],
)
def test_timestamps(tmp_path: Path, engine: ProfileEngine, ts: Any, expected: float):
    _, out = analyze(tmp_path, engine, [_line(text="hi", ts=ts)])
    assert out[0]["ts"] == pytest.approx(expected)


def test_missing_ts_follows_a_synthetic_clock(tmp_path: Path, engine: ProfileEngine):
    _, out = analyze(
        tmp_path,
        engine,
        [
            _line(text="a"),
            _line(text="b"),
            _line(text="c", ts=T0),
            _line(text="d"),
            _line(text="e", ts=T0 - 3600),  # an older real time does not pull the clock back
            _line(text="f"),
        ],
    )
    ts = [o["ts"] for o in out]
    assert ts[:2] == [SYNTHETIC_START, SYNTHETIC_START + SYNTHETIC_STEP_S]
    assert ts[2:] == [T0, T0 + SYNTHETIC_STEP_S, T0 - 3600, T0 + 2 * SYNTHETIC_STEP_S]


def test_order_is_preserved(tmp_path: Path, engine: ProfileEngine):
    texts = ["Здравствуйте", "How much?", "{broken", "Спасибо!", "Where is it??"]
    lines = [t if t.startswith("{") else _line(id=f"m{i}", text=t) for i, t in enumerate(texts)]
    _, out = analyze(tmp_path, engine, lines)
    assert [o["line"] for o in out] == [1, 2, 3, 4, 5]
    assert [o.get("id") for o in out] == ["m0", "m1", None, "m3", "m4"]


def test_profiles_follow_messages_one_per_user(tmp_path: Path, engine: ProfileEngine):
    lines = [
        _line(id=1, user="zoe", ts=T0, text="Сколько стоит кофемашина?"),
        _line(id=2, user=42, ts=T0 + 10, text="Where is my order #123??"),
        _line(id=3, ts=T0 + 20, text="no user here"),
        _line(id=4, user="zoe", ts=T0 + 30, text="А есть со скидкой?"),
        _line(id=5, user="zoe", ts=T0 + 90, text="Здравствуйте! Стоит 30 000 ₽.", direction="out"),
        _line(id=6, user="ghost", ts="never", text="only an error line"),
        _line(id=7, user="42", ts=T0 + 100, text="a string user is not the integer one"),
    ]
    code, out = analyze(tmp_path, engine, lines, profiles=True)
    assert code == 0
    messages = [o for o in out if o.get("type") != "profile"]
    profiles = [o for o in out if o.get("type") == "profile"]
    assert out[: len(messages)] == messages  # all profiles come last
    assert [p["user"] for p in profiles] == ["zoe", 42, "42"]
    zoe = profiles[0]
    assert zoe["messages"] == 2 and zoe["replies"] == 1
    for profile in profiles:
        assert "sentiment" not in profile
        assert {"segments", "hotness", "churn", "active_hours", "advice"} <= profile.keys()
        assert 0 <= profile["hotness"]["value"] <= 100
        assert 0 <= profile["churn"]["value"] <= 100
        for score in profile["segments"].values():
            assert 0.0 <= score["value"] <= 1.0 and 0.0 <= score["confidence"] <= 1.0
        assert any(score["reasons"] for score in profile["segments"].values())
    assert all(r["text_en"] for s in zoe["segments"].values() for r in s["reasons"])


def test_out_lines_feed_reply_latency(tmp_path: Path, engine: ProfileEngine):
    lines = [
        _line(user="u", ts=T0, text="Подскажите, есть ли доставка в Казань?"),
        _line(user="u", ts=T0 + 60, text="Да, доставляем за 2 дня.", direction="out"),
        _line(user="u", ts=T0 + 360, text="Отлично, спасибо"),
        _line(user="u", ts=T0 + 400, text="А сколько стоит?"),
    ]
    _, out = analyze(tmp_path, engine, lines, profiles=True)
    first, reply, answer, follow_up, profile = out
    assert reply["direction"] == "out" and reply["sentiment"] and "latency_s" not in reply
    assert first["latency_s"] is None and first["new_dialog"] is True
    assert answer["latency_s"] == 300.0 and answer["gap_s"] == 360.0
    assert follow_up["latency_s"] is None and follow_up["gap_s"] == 40.0
    assert profile["replies"] == 1 and profile["messages"] == 3


def test_without_profiles_no_timing_and_no_profiles(tmp_path: Path, engine: ProfileEngine):
    _, out = analyze(tmp_path, engine, [_line(user="u", ts=T0, text="hi")])
    assert len(out) == 1 and "gap_s" not in out[0]


def test_missing_input_exits_2(tmp_path: Path, engine: ProfileEngine, capsys):
    code = run_analyze(str(tmp_path / "nope.jsonl"), None, profiles=False, engine=engine)
    assert code == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "nope.jsonl" in err


def test_unwritable_output_exits_2(tmp_path: Path, engine: ProfileEngine, capsys):
    source = tmp_path / "in.jsonl"
    source.write_text(_line(text="hi") + "\n", encoding="utf-8")
    code = run_analyze(str(source), str(tmp_path), profiles=False, engine=engine)
    assert code == 2
    assert "cannot write" in capsys.readouterr().err


def test_summary_goes_to_stderr(tmp_path: Path, engine: ProfileEngine, capsys):
    source = tmp_path / "in.jsonl"
    source.write_text(_line(text="hi") + "\n{bad\n", encoding="utf-8")
    assert run_analyze(str(source), str(tmp_path / "o.jsonl"), profiles=False, engine=engine) == 0
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1
    assert "2 lines processed, 1 error," in err[0] and "msgs/s" in err[0]


@pytest.mark.parametrize(
    ("lines", "summary"),
    [
        ([_line(text="hi")], "1 line processed, 0 errors,"),
        (["{bad"], "1 line processed, 1 error,"),
        ([_line(text="hi"), "{bad", "[1]"], "3 lines processed, 2 errors,"),
        ([], "0 lines processed, 0 errors,"),
    ],
)
def test_summary_counts_in_singular_and_plural(
    tmp_path: Path, engine: ProfileEngine, capsys, lines: list[str], summary: str
):
    source = tmp_path / "in.jsonl"
    source.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    assert run_analyze(str(source), str(tmp_path / "o.jsonl"), profiles=False, engine=engine) == 0
    assert f"barista analyze: {summary}" in capsys.readouterr().err


def test_output_is_readable_utf8_without_escapes(tmp_path: Path, engine: ProfileEngine):
    source = tmp_path / "in.jsonl"
    source.write_text(
        _line(id="заказ-1", user="Анна", text="Где мой заказ? 😡") + "\n", encoding="utf-8"
    )
    target = tmp_path / "out.jsonl"
    assert run_analyze(str(source), str(target), profiles=True, engine=engine) == 0
    raw = target.read_bytes()
    text = raw.decode("utf-8")
    assert "\\u" not in text
    assert '"id": "заказ-1"' in text and '"user": "Анна"' in text
    # byte for byte what json.dumps(..., ensure_ascii=False) writes
    for line in text.splitlines():
        assert line == json.dumps(json.loads(line), ensure_ascii=False)


def _mixed_log(n: int) -> list[str]:
    """A log with users, replies, missing and explicit times and bad lines mixed in."""
    texts = [
        "Где мой заказ?? Жду уже неделю!!!",
        "Thanks, the parcel arrived!",
        "Сколько стоит кофемолка?",
        "my flight was Cancelled Flightled, on hold for 2 hours",
        "ок",
    ]
    lines = []
    for i in range(n):
        if i % 97 == 5:
            lines.append("{broken")
            continue
        fields: dict[str, Any] = {"id": f"m{i}", "text": texts[i % len(texts)]}
        if i % 3:
            fields["user"] = f"u{i % 7}"
        if i % 4 == 0:
            fields["ts"] = T0 + 60.0 * i
        if i % 5 == 0:
            fields["direction"] = "out"
        if i % 211 == 7:
            fields["ts"] = "yesterday"
        lines.append(_line(**fields))
    return lines


@pytest.mark.parametrize("profiles", [False, True])
def test_jobs_keep_input_order_and_output(tmp_path: Path, engine: ProfileEngine, profiles: bool):
    from bot.tools import analyze as tool

    lines = _mixed_log(1200)
    source = tmp_path / "in.jsonl"
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    outputs = []
    for jobs in (1, 2):
        target = tmp_path / f"out{jobs}.jsonl"
        # small chunks: many tasks in flight, finishing out of order
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(tool, "CHUNK_LINES", 37)
            code = run_analyze(
                str(source), str(target), profiles=profiles, engine=engine, jobs=jobs
            )
        assert code == 0
        outputs.append(target.read_bytes())
    assert outputs[0] == outputs[1]
    objects = [json.loads(line) for line in outputs[1].decode("utf-8").splitlines()]
    messages = [o for o in objects if o.get("type") != "profile"]
    assert [o["line"] for o in messages] == list(range(1, len(lines) + 1))
    assert sum("error" in o for o in messages) > 0
    assert any(o.get("type") == "profile" for o in objects) is profiles


def test_jobs_must_be_positive(tmp_path: Path, engine: ProfileEngine):
    source = tmp_path / "in.jsonl"
    source.write_text(_line(text="hi") + "\n", encoding="utf-8")
    with pytest.raises(ValueError, match="jobs"):
        run_analyze(str(source), None, profiles=False, engine=engine, jobs=0)


def test_stdin_to_stdout(monkeypatch: pytest.MonkeyPatch, engine: ProfileEngine, capsys):
    raw = (_line(id="s", user=1, text="Добрый день") + "\n").encode("utf-8")
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(raw), encoding="utf-8"))
    assert run_analyze("-", "-", profiles=True, engine=engine) == 0
    objects = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [o.get("type") for o in objects] == ["message", "profile"]
    assert objects[0]["id"] == "s" and objects[1]["user"] == 1


def test_default_engine_from_settings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, no_env_file: None
):
    monkeypatch.setenv("TIMEZONE_OFFSET_MINUTES", "180")
    source = tmp_path / "in.jsonl"
    # 09:00 UTC is 12:00 in the shop's UTC+3.
    source.write_text(_line(user="u", ts=T0, text="Здравствуйте") + "\n", encoding="utf-8")
    target = tmp_path / "out.jsonl"
    assert run_analyze(str(source), str(target), profiles=True) == 0
    profile = json.loads(target.read_text(encoding="utf-8").splitlines()[-1])
    assert profile["type"] == "profile" and profile["active_hours"] == [12]


def test_real_pipes_in_a_subprocess(tmp_path: Path):
    code = (
        "import sys; from bot.tools.analyze import run_analyze; "
        "from profiling.engine import ProfileEngine; "
        "sys.exit(run_analyze('-', None, profiles=False, engine=ProfileEngine()))"
    )
    data = "\ufeff" + _line(id=1, user="Анна", text="Жду ответа уже час!!!") + "\r\n\r\n"
    proc = subprocess.run(
        [sys.executable, "-c", code],
        input=data.encode("utf-8"),
        capture_output=True,
        cwd=ROOT,
        env={"PYTHONIOENCODING": "ascii", "PATH": ""},  # stdout stays UTF-8 anyway
        check=False,
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    (line,) = proc.stdout.decode("utf-8").splitlines()
    obj = json.loads(line)
    assert obj["id"] == 1 and obj["lang"] == "ru"
    assert '"user": "Анна"' in line  # ensure_ascii=False, whatever the locale
    assert b"1 line processed, 0 errors" in proc.stderr


def test_cli_jobs_flag_in_a_subprocess(tmp_path: Path):
    lines = _mixed_log(60)
    data = ("\n".join(lines) + "\n").encode("utf-8")
    runs = []
    for jobs in ("1", "2"):
        proc = subprocess.run(
            [sys.executable, "-m", "bot.cli", "analyze", "-", "--jobs", jobs],
            input=data,
            capture_output=True,
            cwd=tmp_path,  # no project .env: default settings
            env={"PATH": "", "PYTHONPATH": str(ROOT)},
            check=False,
            timeout=120,
        )
        assert proc.returncode == 0, proc.stderr
        assert b"60 lines processed" in proc.stderr
        runs.append(proc.stdout)
    assert runs[0] == runs[1]
    assert [json.loads(line)["line"] for line in runs[1].splitlines()] == list(range(1, 61))


def test_analyze_writes_exactly_what_the_bot_stores_per_message(
    tmp_path: Path, engine: ProfileEngine
) -> None:
    """One definition of a message's analysis (`profiling.text.summary`): the fields and
    values `barista analyze` writes are the ones the conversation core stores."""
    from bot.conversation.pipeline import signal_features
    from profiling.text.summary import SUMMARY_FIELDS

    texts = ["Где мой заказ?? Жду уже неделю!!!", "Thanks a lot, it works :)", "👍"]
    _code, out = analyze(tmp_path, engine, [_line(text=t) for t in texts])
    for text, obj in zip(texts, out, strict=True):
        stored = signal_features(engine.analyze(text), None)
        assert list(stored) == list(SUMMARY_FIELDS)
        assert {k: obj[k] for k in SUMMARY_FIELDS} == stored
