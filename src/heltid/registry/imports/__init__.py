"""Import of recipients from the benefit system: whole file or nothing, with a per-row report."""

from heltid.registry.imports.apply import ImportReport, import_recipients
from heltid.registry.imports.reader import FileError, read_table
from heltid.registry.imports.rows import COLUMNS, RowError

__all__ = ["COLUMNS", "FileError", "ImportReport", "RowError", "import_recipients", "read_table"]
