"""Swedish translations of the catalogue's Excel import/export messages (issue 3, item 7).

To be merged into scripts/translations_sv.py by the lead."""

from __future__ import annotations

SV: dict[str, str | tuple[str, str]] = {
    # heltid.catalog.excel: the file
    "Computed by Heltid on the export date; ignored on import.": (
        "Räknas fram av Heltid per exportdagen; läses inte vid import."
    ),
    "Computed by Heltid; ignored on import.": "Räknas fram av Heltid; läses inte vid import.",
    "yes": "ja",
    "no": "nej",
    # heltid.catalog.excel: file errors
    "The file could not be saved: %(problem)s": "Filen kunde inte sparas: %(problem)s",
    "The file must be an Excel file (.xlsx).": "Filen måste vara en Excel-fil (.xlsx).",
    "The file is too large: at most %(mb)d MB.": "Filen är för stor: högst %(mb)d MB.",
    "The file cannot be read as an Excel file (.xlsx).": (
        "Filen kan inte läsas som en Excel-fil (.xlsx)."
    ),
    "The file is too large when unpacked.": "Filen är för stor när den packas upp.",
    "Sheets missing: %(sheets)s.": "Blad saknas: %(sheets)s.",
    "The sheet %(sheet)s lacks the columns: %(columns)s.": (
        "Bladet %(sheet)s saknar kolumnerna: %(columns)s."
    ),
    "The sheet %(sheet)s has more than %(max)d rows. Split the file.": (
        "Bladet %(sheet)s har fler än %(max)d rader. Dela upp filen."
    ),
    # heltid.catalog.excel: row and cell errors
    "The code is already used on row %(row)d.": "Koden används redan på rad %(row)d.",
    "A value is required.": "Värde saknas.",
    "At most %(max)d characters.": "Högst %(max)d tecken.",
    "Contains characters that are not allowed.": "Innehåller otillåtna tecken.",
    "A code may only hold the letters a–z, digits, hyphens and underscores.": (
        "En kod får bara innehålla bokstäverna a–z, siffror, bindestreck och understreck."
    ),
    "“%(value)s” is not an e-mail address.": "”%(value)s” är ingen e-postadress.",
    "“%(value)s” is not an allowed value. Allowed: %(allowed)s (see the sheet Koder).": (
        "”%(value)s” är inget tillåtet värde. Tillåtna: %(allowed)s (se bladet Koder)."
    ),
    "“%(value)s” is not a whole number.": "”%(value)s” är inget heltal.",
    "Must be between %(min)s and %(max)s.": "Ska vara mellan %(min)s och %(max)s.",
    "“%(value)s” is not a number of hours.": "”%(value)s” är inget antal timmar.",
    "At most one decimal.": "Högst en decimal.",
    "Write ja or nej.": "Skriv ja eller nej.",
    "“%(value)s” is not a date.": "”%(value)s” är inget datum.",
    "%(value)s is not a date that exists.": "%(value)s är inget datum som finns.",
    "The date must be between 1900 and 2199.": "Datumet ska ligga mellan år 1900 och 2199.",
    "The end date is before the start date.": "Slutdatumet ligger före startdatumet.",
    "The highest age is lower than the lowest age.": "Den högsta åldern är lägre än den lägsta.",
    "There is no step with the code “%(code)s”, neither in the sheet Steg nor in Heltid.": (
        "Det finns inget steg med koden ”%(code)s”, varken i bladet Steg eller i Heltid."
    ),
    "There is no actor with the code “%(code)s”, neither in the sheet Aktörer nor in Heltid.": (
        "Det finns ingen aktör med koden ”%(code)s”, varken i bladet Aktörer eller i Heltid."
    ),
    "There is no agreement with the code “%(code)s”, neither in the sheet Avtal nor in Heltid.": (
        "Det finns inget avtal med koden ”%(code)s”, varken i bladet Avtal eller i Heltid."
    ),
    "There is no unit with the code “%(code)s” in Heltid.": (
        "Det finns ingen enhet med koden ”%(code)s” i Heltid."
    ),
    "Import of %(file)s": "Import av %(file)s",
    "The row could not be saved: %(problem)s": "Raden kunde inte sparas: %(problem)s",
    # heltid.catalog.transfer_views and templates/catalog/import.html
    "Catalogue file (.xlsx)": "Fil med insatskatalogen (.xlsx)",
    "An Excel file in the format of the catalogue export.": (
        "En Excel-fil i samma format som exporten av insatskatalogen."
    ),
    "Import the intervention catalogue": "Importera insatskatalogen",
    "Upload an Excel file in the format of the catalogue export, with the sheets Steg, "
    "Aktörer, Avtal and Insatser. Rows are created or updated by their code; rows missing "
    "from the file are left as they are. The file is imported whole or not at all.": (
        "Ladda upp en Excel-fil i samma format som exporten av insatskatalogen, med bladen "
        "Steg, Aktörer, Avtal och Insatser. Rader skapas eller ändras efter sin kod; rader som "
        "inte finns i filen lämnas som de är. Filen importeras hel eller inte alls."
    ),
    "Grey columns are computed by Heltid and are not imported. The sheet Koder lists the "
    "allowed values.": (
        "Grå kolumner räknas fram av Heltid och importeras inte. Bladet Koder visar de "
        "tillåtna värdena."
    ),
    "Download the catalogue as Excel": "Ladda ner insatskatalogen som Excel-fil",
    "Errors in the file": "Fel i filen",
    "Sheet": "Blad",
    "What the import would do, per sheet": "Vad importen skulle göra, per blad",
    "What the import did, per sheet": "Vad importen gjorde, per blad",
    "%(counter)s intervention got a new number of places from today.": (
        "%(counter)s insats fick ett nytt antal platser från och med i dag.",
        "%(counter)s insatser fick ett nytt antal platser från och med i dag.",
    ),
}
