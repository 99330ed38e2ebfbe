"""Name and street lists for the demo municipality.

Common first and last names in Sweden (Nordic and, for people born abroad, names
common among Linköping's newer residents) and invented street names. Any match
with a real person at a real address is chance: the personnummer are Skatteverket's
test numbers and the streets do not exist in Linköping.
"""

from __future__ import annotations

FEMALE_FIRST_NAMES: tuple[str, ...] = (
    "Anna", "Eva", "Maria", "Karin", "Sara", "Christina", "Lena", "Emma", "Kerstin",
    "Ingrid", "Sofia", "Marie", "Malin", "Jenny", "Linda", "Hanna", "Annika", "Ida",
    "Susanne", "Elin", "Johanna", "Camilla", "Carina", "Julia", "Monica", "Elisabeth",
    "Åsa", "Therese", "Matilda", "Frida", "Emelie", "Lisa", "Helena", "Amanda", "Petra",
    "Jessica", "Cecilia", "Ulrika", "Moa", "Wilma", "Ebba", "Alice", "Louise", "Josefin",
    "Maja", "Klara", "Agnes", "Linnea", "Tove", "Nathalie",
)  # fmt: skip

MALE_FIRST_NAMES: tuple[str, ...] = (
    "Lars", "Anders", "Johan", "Per", "Erik", "Karl", "Peter", "Thomas", "Jan", "Daniel",
    "Fredrik", "Hans", "Andreas", "Stefan", "Mikael", "Mattias", "Magnus", "Jonas",
    "Marcus", "Niklas", "Martin", "Björn", "Oskar", "Henrik", "Alexander", "Patrik",
    "Robin", "Simon", "Viktor", "Emil", "Filip", "Jesper", "Kristoffer", "Sebastian",
    "Tobias", "Joakim", "Rasmus", "Gustav", "Axel", "Anton", "Ludvig", "Oliver",
    "William", "Hugo", "Elias", "Isak", "Kevin", "Dennis", "Jimmy", "Roger",
)  # fmt: skip

FEMALE_FIRST_NAMES_ABROAD: tuple[str, ...] = (
    "Fatima", "Amina", "Maryam", "Aisha", "Hawa", "Sara", "Zainab", "Leila", "Nour",
    "Hiba", "Rania", "Samira", "Yasmin", "Halima", "Fardowsa", "Asha", "Hodan", "Layla",
    "Shirin", "Parisa", "Mahsa", "Elif", "Ayse", "Zahra", "Ruqia", "Dalia", "Selam",
    "Tigist", "Meron", "Olena", "Iryna", "Natalia", "Ewa", "Agnieszka", "Jelena",
)  # fmt: skip

MALE_FIRST_NAMES_ABROAD: tuple[str, ...] = (
    "Mohammed", "Ahmed", "Ali", "Hassan", "Hussein", "Omar", "Abdullahi", "Mustafa",
    "Yusuf", "Ibrahim", "Khalid", "Samir", "Karim", "Tariq", "Bilal", "Amir", "Reza",
    "Mehdi", "Dawit", "Yonas", "Filmon", "Abdi", "Mahad", "Mehmet", "Emre", "Goran",
    "Dragan", "Nikola", "Piotr", "Tomasz", "Oleksandr", "Andrii", "Jamal", "Nabil",
    "Walid",
)  # fmt: skip

LAST_NAMES: tuple[str, ...] = (
    "Andersson", "Johansson", "Karlsson", "Nilsson", "Eriksson", "Larsson", "Olsson",
    "Persson", "Svensson", "Gustafsson", "Pettersson", "Jonsson", "Jansson", "Hansson",
    "Bengtsson", "Jönsson", "Lindberg", "Jakobsson", "Magnusson", "Olofsson",
    "Lindström", "Lindqvist", "Lindgren", "Axelsson", "Berg", "Bergström", "Lundberg",
    "Lind", "Lundgren", "Lundqvist", "Mattsson", "Berglund", "Fredriksson", "Sandberg",
    "Henriksson", "Forsberg", "Sjöberg", "Wallin", "Engström", "Eklund", "Danielsson",
    "Lundin", "Håkansson", "Björk", "Bergman", "Gunnarsson", "Holm", "Wikström",
    "Samuelsson", "Isaksson", "Fransson", "Bergqvist", "Nyström", "Holmberg", "Arvidsson",
    "Löfgren", "Söderberg", "Nyberg", "Blomqvist", "Claesson", "Nordström", "Mårtensson",
    "Lundström", "Viklund", "Björklund", "Eliasson", "Pålsson", "Berggren", "Sandström",
    "Lund", "Nordin", "Ström", "Åberg", "Hermansson", "Ekström", "Falk", "Holmgren",
    "Dahlberg", "Hellström", "Hedlund",
)  # fmt: skip

LAST_NAMES_ABROAD: tuple[str, ...] = (
    "Mohamed", "Ahmed", "Ali", "Hassan", "Hussein", "Abdi", "Omar", "Ibrahim", "Yusuf",
    "Osman", "Jama", "Warsame", "Farah", "Haile", "Tesfay", "Gebremedhin", "Kidane",
    "Tekle", "Al-Hassan", "Al-Ali", "Khalil", "Haddad", "Saleh", "Mahmoud", "Karimi",
    "Ahmadi", "Hosseini", "Rahimi", "Mohammadi", "Yilmaz", "Kaya", "Demir", "Öztürk",
    "Kovačević", "Petrović", "Hodžić", "Nowak", "Kowalski", "Shevchenko", "Kovalenko",
)  # fmt: skip

# Invented street names; the numbers and postal codes (58x xx) are Linköping-like.
STREET_NAMES: tuple[str, ...] = (
    "Blåklintsgatan", "Lärkstigen", "Vallmovägen", "Kornettgatan", "Hasselbacken",
    "Rönnbärsvägen", "Ljungstigen", "Tranbärsgatan", "Gökottevägen", "Svalgången",
    "Fjärilsgatan", "Kastanjevägen", "Stensötegatan", "Granstigen", "Spinnrocksgatan",
    "Vävskedsvägen", "Smedjegränd", "Kvarnhjulsgatan", "Tegelbruksvägen", "Mjölnargatan",
    "Ängsullsvägen", "Humlegårdsgatan", "Klöverstigen", "Björnbärsgatan", "Nyponvägen",
    "Lingonstigen", "Solvändegatan", "Vindflöjelsgatan", "Åsgårdsvägen", "Ekbackegatan",
    "Stångåkajen", "Lövängsgatan", "Rydsbacken", "Skäggetorpsgränd", "Berggårdsvägen",
    "Ullstämmavägen", "Tornbyslingan", "Hjulsbrovägen", "Gottfridsbergsgatan",
    "Vimanshällsvägen",
)  # fmt: skip

# Staff of the demo municipality (first name, last name), one per demo login.
STAFF_NAMES: dict[str, tuple[str, str]] = {
    "handlaggare.nord": ("Sara", "Lindqvist"),
    "handlaggare.syd": ("Johan", "Ekström"),
    "casemanager.nord": ("Amira", "Haddad"),
    "casemanager.syd": ("Mattias", "Holm"),
    "utforare.amc": ("Petra", "Nyberg"),
    "utforare.leanlink": ("Kevin", "Dahlberg"),
    "analytiker": ("Cecilia", "Wallin"),
    "admin": ("Henrik", "Sandberg"),
}
