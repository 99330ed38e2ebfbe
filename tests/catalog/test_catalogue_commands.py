"""`heltid catalogue export|import` and `heltid staircase`: files, exit codes, JSON contracts."""

from __future__ import annotations

import io
import json
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from heltid.catalog.excel import export_catalogue
from heltid.catalog.models import Intervention, InterventionStatus, Step
from tests.catalog.factories import STEP_CODES, InterventionFactory, default_step, since

pytestmark = pytest.mark.django_db

ON = since().replace(month=3, day=2)


def bad_copy(data: bytes, tmp_path: Path) -> Path:
    """The workbook with one intervention's step code unknown (row 2)."""
    workbook = load_workbook(io.BytesIO(data))
    sheet = workbook["Insatser"]
    headers = [c.value for c in sheet[1]]
    sheet.cell(row=2, column=headers.index("steg") + 1).value = "okant-steg"
    path = tmp_path / "dalig.xlsx"
    workbook.save(path)
    return path


def test_export__writes_the_catalogue_as_on_a_date(tmp_path: Path, capsys: Any) -> None:
    InterventionFactory(code="verkstad", places=7)
    path = tmp_path / "katalog.xlsx"
    call_command("catalogue", "export", str(path), "--on", ON.isoformat())
    workbook = load_workbook(path)
    assert workbook.sheetnames[:4] == ["Steg", "Aktörer", "Avtal", "Insatser"]
    sheet = workbook["Insatser"]
    headers = [c.value for c in sheet[1]]
    row = dict(zip(headers, next(sheet.iter_rows(min_row=2, values_only=True)), strict=True))
    assert (row["kod"], row["platser"]) == ("verkstad", 7)
    assert str(path) in capsys.readouterr().out
    before = since() - timedelta(days=1)
    call_command("catalogue", "export", str(path), "--on", before.isoformat())
    sheet = load_workbook(path)["Insatser"]
    assert sheet.cell(row=2, column=headers.index("platser") + 1).value == 0  # before any places


def test_import__exit_code_zero_only_when_imported(tmp_path: Path, capsys: Any) -> None:
    item = InterventionFactory(code="verkstad", name="Verkstaden")
    good = tmp_path / "katalog.xlsx"
    call_command("catalogue", "export", str(good))
    bad = bad_copy(good.read_bytes(), tmp_path)
    capsys.readouterr()

    with pytest.raises(SystemExit) as exited:
        call_command("catalogue", "import", str(bad))
    assert exited.value.code == 1
    err = capsys.readouterr().err
    assert "Insatser rad 2: kolumn steg:" in err and "okant-steg" in err

    Intervention.objects.all().delete()
    with pytest.raises(SystemExit) as exited:
        call_command("catalogue", "import", str(bad), "--json")
    report = json.loads(capsys.readouterr().err)
    assert report["imported"] is False
    assert [(e["sheet"], e["row"], e["column"]) for e in report["errors"]] == [
        ("Insatser", 2, "steg")
    ]
    assert not Intervention.objects.exists()

    call_command("catalogue", "import", str(good), "--dry-run", "--json")  # valid: exit code 0
    dry = json.loads(capsys.readouterr().out)
    assert (dry["imported"], dry["dry_run"], dry["created"]["Insatser"]) == (False, True, 1)
    assert not Intervention.objects.exists()

    call_command("catalogue", "import", str(good))  # returns normally: exit code 0
    assert "Importerad" in capsys.readouterr().out
    assert Intervention.objects.get(code="verkstad").name == item.name


def test_import__unreadable_or_missing_file__non_zero(tmp_path: Path, capsys: Any) -> None:
    garbage = tmp_path / "skrap.xlsx"
    garbage.write_bytes(b"kod;namn\nx;y\n")
    with pytest.raises(SystemExit) as exited:
        call_command("catalogue", "import", str(garbage))
    assert exited.value.code == 1
    assert capsys.readouterr().err.strip()
    with pytest.raises(CommandError):
        call_command("catalogue", "import", str(tmp_path / "finns-inte.xlsx"))


def test_export_then_import__same_database__nothing_changes(tmp_path: Path, capsys: Any) -> None:
    InterventionFactory(places=3, occupied=1)
    path = tmp_path / "katalog.xlsx"
    call_command("catalogue", "export", str(path))
    capsys.readouterr()
    call_command("catalogue", "import", str(path), "--json")
    report = json.loads(capsys.readouterr().out)
    assert report["imported"] is True
    assert sum(report["created"].values()) == sum(report["updated"].values()) == 0
    assert report["capacity_changes"] == 0


def test_staircase__json__one_row_per_active_step_in_order(capsys: Any) -> None:
    work = default_step("arbete-med-samhallsstod")
    InterventionFactory(step=work, places=4, occupied=4, waiting=6, cost_per_place_month=1000)
    InterventionFactory(step=work, places=0, status=InterventionStatus.NEEDED)
    Step.objects.filter(code="arbete-studier").update(position=0)  # reordered
    Step.objects.create(code="avvecklat", name="Avvecklat", position=5, active=False)

    call_command("staircase", "--on", ON.isoformat(), "--json")
    rows = json.loads(capsys.readouterr().out)

    order = ["arbete-studier", *[c for c in STEP_CODES if c != "arbete-studier"]]
    names = dict(Step.objects.values_list("code", "name"))
    assert [r["step"] for r in rows] == [names[c] for c in order]
    assert all(
        list(r)
        == ["step", "places", "occupied", "free", "waiting", "interventions", "cost_per_month"]
        for r in rows
    )
    assert rows[order.index("arbete-med-samhallsstod")] | {"step": ""} == {
        "step": "",
        "places": 4,
        "occupied": 4,
        "free": 0,
        "waiting": 6,
        "interventions": 1,
        "cost_per_month": 4000,
    }


def test_staircase__table__readable(capsys: Any) -> None:
    InterventionFactory(step=default_step("sysselsattning"), places=5, occupied=2)
    call_command("staircase", "--on", ON.isoformat())
    out = capsys.readouterr().out
    assert "Platser" in out and "Lediga" in out
    line = next(x for x in out.splitlines() if x.startswith(default_step("sysselsattning").name))
    assert line.split()[-6:] == ["5", "2", "3", "0", "1", "25000"]


def test_export__module_and_command_agree(tmp_path: Path) -> None:
    InterventionFactory()
    path = tmp_path / "katalog.xlsx"
    call_command("catalogue", "export", str(path), "--on", ON.isoformat())
    direct = load_workbook(io.BytesIO(export_catalogue(on=ON)))
    written = load_workbook(path)
    for name in direct.sheetnames:
        assert list(direct[name].values) == list(written[name].values)
