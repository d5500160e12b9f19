"""Invalid policy files must fail with a named message (tests/data/invalid_policies).

Each file states what its error message must contain on its first line, e.g.
``# expect: 'robot_tax' | 'rate' | 1.5 | allowed range`` — the lever, the field and the value
wherever they apply, separated by ``|``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from twochannel.levers.package import load_policy
from twochannel.params.scenario import InputError

INVALID = sorted((Path(__file__).parents[1] / "data" / "invalid_policies").glob("*.toml"))


def expectations(path: Path) -> list[str]:
    first = path.read_text(encoding="utf-8").splitlines()[0]
    assert first.startswith("# expect:"), f"{path.name}: first line must be '# expect: ...'"
    return [part.strip() for part in first.removeprefix("# expect:").split("|") if part.strip()]


def test_there_are_enough_invalid_files() -> None:
    assert len(INVALID) >= 10


@pytest.mark.parametrize("path", INVALID, ids=lambda p: p.stem)
def test_invalid_policy_raises_a_named_input_error(path: Path) -> None:
    with pytest.raises(InputError) as info:
        load_policy(path)
    msg = str(info.value)
    for part in expectations(path):
        assert part in msg, f"{path.name}: {part!r} not in {msg!r}"
    # the message names the file it comes from (or the referenced file that failed)
    named = [p for p in expectations(path) if p.endswith(".toml")]
    assert str(path) in msg or any(n in msg for n in named), msg
    assert "Traceback" not in msg and "pydantic" not in msg.lower()


def test_a_preset_name_is_not_mistaken_for_an_invalid_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="not a preset"):
        load_policy(tmp_path / "missing.toml")
    with pytest.raises(InputError, match="no-such-package"):
        load_policy("no-such-package")
