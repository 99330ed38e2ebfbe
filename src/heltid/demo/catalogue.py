"""The demo municipality's intervention catalogue: the seeds' 17 actors, their agreements and
about 40 interventions on the default staircase.

Everything is written down here by hand (no randomness), so one ``today`` always gives the
same rows. Dates are placed relative to ``today``: the catalogue starts on 1 January two
years back, a few capacity changes fall in the past year, and the current occupancy count is
dated the first of ``today``'s month. The numbers reproduce the seeds' capacity insight (June
2020): enough work-training and work-trial places, too few places on "arbete med
samhällsstöd", Support- och arbetsteamet full with a queue, and the nine missing
interventions recorded as needs. ``docs/demo.md`` lists the numbers per step.

Texts are short paraphrases of the seeds' actor table; contacts are functional mailboxes on
reserved ``.example`` domains, never people.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction

from heltid.accounts.models import Unit
from heltid.catalog.models import (
    ActivityType,
    Actor,
    ActorKind,
    Agreement,
    AgreementKind,
    CapacityChange,
    Intervention,
    InterventionStatus,
    OccupancyCount,
    Step,
    Track,
)
from heltid.catalog.models.intervention import SwedishRequirement, TargetGroup
from heltid.demo.staff import ensure_units

# Where the figures come from, on every occupancy row the demo writes.
OCCUPANCY_SOURCE = "Demo: inventering av platser"
BASELINE_REASON = "Inventering av platser (demo)"

UNEMPLOYMENT = TargetGroup.UNEMPLOYMENT.value
ILL_HEALTH = TargetGroup.ILL_HEALTH.value
SOCIAL = TargetGroup.SOCIAL.value

SYSS = "sysselsattning"
REHAB = "arbetsinriktad-rehabilitering"
SUPPORTED = "arbete-med-samhallsstod"
WORK = "arbete-studier"

# ---------------------------------------------------------------------------------------------
# Actors: the seeds' table "Påverkan på övriga förvaltningars verksamheter", in short.
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ActorSpec:
    code: str
    name: str
    kind: str
    rank: int
    affects: str
    affected: str
    conflicts: str
    contact_name: str
    contact_email: str
    rank_note: str = ""
    unit: str | None = None  # the demo unit whose provider staff edit the actor's interventions


SHARED_PURPOSE = "Samsyn behövs om vad heltidsaktivering ska betyda för individen."

ACTORS: tuple[ActorSpec, ...] = (
    ActorSpec(
        "forsorjningsinsatser",
        "Avdelningen för försörjningsinsatser",
        ActorKind.MUNICIPAL,
        1,
        "Första kontakten med den som söker bistånd; sätter processen i gång.",
        "Nya arbetssätt med digitalisering och automatisering. Tiden från beslut till "
        "anvisning ska kortas, anvisning vid avslag behöver utredas och uppföljningen kan "
        "ändras.",
        "Högre krav på att delta i aktivering när någon söker ekonomiskt bistånd.",
        "Funktionsbrevlåda, försörjningsinsatser",
        "forsorjning@linkoping.example",
    ),
    ActorSpec(
        "amc",
        "Arbetsmarknadscentrum/AMC",
        ActorKind.MUNICIPAL,
        1,
        "En gemensam ingång och nyckeln till att placera deltagare i insatser.",
        "Målgruppen och uppdraget kan ändras och inflödet öka. Tiden från anvisning till "
        "insats ska kortas och uppföljningen kan ändras.",
        "Kö till insatserna när utbudet inte räcker till behovet. Deltagare måste "
        "prioriteras och bedömningarna skiljer sig.",
        "Mottagningen, AMC",
        "amc@linkoping.example",
        unit="amc",
    ),
    ActorSpec(
        "arbetsformedlingen",
        "Arbetsförmedlingen",
        ActorKind.EMPLOYMENT_SERVICE,
        1,
        "Viktig för subventionerade anställningar. Hur mycket beror på hur myndighetens "
        "roll förändras.",
        "Påverkas mer eller mindre beroende på hur myndighetens roll förändras.",
        "Personer skrivs ut som kommunen anser borde vara kvar. Olika bedömningar, långa "
        "processer och olika syn på det gemensamma ansvaret. Digitala tjänster kan vara "
        "svåra att nå för en del.",
        "Lokalt samverkansteam",
        "samverkan.linkoping@arbetsformedlingen.example",
        rank_note="1 eller 2: beror på hur Arbetsförmedlingens roll förändras.",
    ),
    ActorSpec(
        "regionen",
        "Regionen",
        ActorKind.REGION,
        2,
        "Ger rehabiliterande insatser, till exempel hälsokommunikatörer, "
        "samhällskommunikatörer och stöd i hälsolitteracitet.",
        "Efterfrågan på regionens insatser ökar och samarbetet med kommunen blir större.",
        "Kommunikationen behöver bli bättre, och läkarutlåtanden behöver svara på det "
        "kommunen behöver veta. " + SHARED_PURPOSE,
        "Samverkansfunktion, närsjukvården",
        "samverkan@regionen.example",
    ),
    ActorSpec(
        "forsakringskassan",
        "Försäkringskassan",
        ActorKind.SOCIAL_INSURANCE,
        2,
        "Kan ge vägar till försörjning genom andra ersättningar än arbete eller studier.",
        "Fler kan överklaga avslag och inflödet kan öka.",
        "Kommunikationen behöver bli bättre. Långa handläggningstider.",
        "Lokal samverkan",
        "samverkan.linkoping@forsakringskassan.example",
    ),
    ActorSpec(
        "hr-arbetsgivare",
        "HR, kommunen som arbetsgivare",
        ActorKind.MUNICIPAL,
        1,
        "Ordnar platserna inom kommunkoncernen.",
        "Deltagarna behöver mer stöd ute på arbetsplatserna. Fler och mer varierade platser "
        "som passar målgruppen behövs.",
        "Fördelning av resurser. Krock mellan kärnuppdraget och uppdraget att inkludera.",
        "HR-funktionen, inkluderande arbetsplatser",
        "hr.inkludering@linkoping.example",
    ),
    ActorSpec(
        "vuxenutbildningen",
        "Vuxenutbildningen",
        ActorKind.MUNICIPAL,
        2,
        "Har stödteam runt den studerande och flexibel utbildning efter behov. Kan ge "
        "orienteringskurser efter arbetsmarknadens och målgruppens behov.",
        "Behöver resurser för att möta behovet; inflödet kan påverkas.",
        "Oklart om man kan studera med ekonomiskt bistånd när utbildningen ger rätt till "
        "studiemedel. Språksvaga behöver bättre stöd. Ska kunna ta emot alla som söker.",
        "Studie- och yrkesvägledningen",
        "vux.vagledning@linkoping.example",
    ),
    ActorSpec(
        "aldre-funktionsnedsatta",
        "Äldre och funktionsnedsatta (boendestöd)",
        ActorKind.MUNICIPAL,
        2,
        "Boendestödet ger förutsättningar att komma i gång med aktiveringen. Föräldrar till "
        "barn med funktionsvariation behöver tid för barnen, fritid för dem och avlastning.",
        "Inflödet kan öka.",
        SHARED_PURPOSE,
        "Funktionsbrevlåda, boendestöd",
        "boendestod@linkoping.example",
    ),
    ActorSpec(
        "idrott-och-service",
        "Idrott och Service / Stöd och service",
        ActorKind.MUNICIPAL,
        1,
        "Har många olika insatser.",
        "Målgruppen och uppdraget kan ändras och inflödet öka. Tiden från anvisning till "
        "insats ska kortas, och insatserna behöver närma sig det arbetsmarknaden efterfrågar.",
        "Otydliga roller och förväntningar mellan förvaltningarna. Kommunikationen behöver "
        "bli bättre. " + SHARED_PURPOSE,
        "Samordnare, arbetsinriktade insatser",
        "idrottochservice@linkoping.example",
    ),
    ActorSpec(
        "rad-och-stod",
        "Råd och stöd (Leanlink)",
        ActorKind.MUNICIPAL,
        1,
        "Stor verksamhet med många arbetsinriktade insatser, bland annat Support- och "
        "arbetsteamet.",
        "Ökat inflöde; insatserna utvecklas efter behov.",
        "Har många LSS-insatser – kan fler målgrupper få ta del av dem? Otydliga roller och "
        "förväntningar. Kommunikationen behöver bli bättre. " + SHARED_PURPOSE,
        "Support- och arbetsteamet",
        "supportteamet@leanlink.example",
        unit="leanlink",
    ),
    ActorSpec(
        "iop",
        "Idéburna partner i IOP",
        ActorKind.CIVIL_SOCIETY,
        1,
        "Ger tillgång till olika insatser.",
        "Platser som i dag står tomma ska användas mer. Målgrupperna kan ändras och "
        "inflödet öka; insatserna behöver möta efterfrågan.",
        SHARED_PURPOSE,
        "Partnerskapsansvarig",
        "iop@linkoping.example",
    ),
    ActorSpec(
        "civilsamhallet",
        "Andra föreningar i civilsamhället",
        ActorKind.CIVIL_SOCIETY,
        2,
        "Ger tillgång till olika insatser, bland annat extratjänster hos vissa föreningar, "
        "och viktiga mötesplatser för idrott och kultur.",
        "Ingen större påverkan: inflödet är redan högt.",
        SHARED_PURPOSE,
        "Föreningskontakt, kultur och fritid",
        "foreningar@linkoping.example",
    ),
    ActorSpec(
        "naringslivet",
        "Privata näringslivet",
        ActorKind.BUSINESS,
        1,
        "Erbjuder anställningar på den vanliga arbetsmarknaden.",
        "Oklart om och hur flödet påverkas. Kräver anpassningar på arbetsplatsen och "
        "ändrade attityder; företagen kan vinna goodwill på att vara inkluderande.",
        "Kontaktnät och goda relationer med företagen behöver byggas upp.",
        "Näringslivskontoret, företagskontakt",
        "naringsliv@linkoping.example",
    ),
    ActorSpec(
        "barnomsorg",
        "Barnomsorg",
        ActorKind.MUNICIPAL,
        2,
        "Gör det möjligt för föräldrar att delta.",
        "Behöver kunna erbjuda platser nära hemmet; inflödet kan påverkas.",
        "Plats måste sökas i tid och senast när barnet är ett år. Personal saknas och "
        "platserna är svåra att bli fler. Ingen omsorg på obekväm arbetstid.",
        "Placeringsenheten, förskola",
        "forskoleplats@linkoping.example",
    ),
    ActorSpec(
        "csn",
        "CSN",
        ActorKind.OTHER_AUTHORITY,
        2,
        "Den som studerar kan söka bidragsdelen av studiemedlet.",
        "Liten påverkan.",
        "Skulder hos CSN kan hindra att man får bidrag.",
        "Kundtjänst för studiestöd",
        "kundtjanst@csn.example",
    ),
    ActorSpec(
        "samordningsforbundet",
        "Samordningsförbundet",
        ActorKind.COORDINATION,
        2,
        "Håller insatskatalogen och samordnar insatser mellan myndigheterna.",
        "Platser som i dag står tomma kan användas mer; större samarbete med kommunen.",
        "Kommunikationen behöver bli bättre. " + SHARED_PURPOSE,
        "Förbundets kansli",
        "kansli@samordningsforbundet.example",
    ),
    ActorSpec(
        "fritidsverksamhet",
        "Fritidsverksamhet",
        ActorKind.MUNICIPAL,
        2,
        "Gör det möjligt för föräldrar att delta.",
        "Inflödet kan påverkas.",
        "Finns inte på obekväm arbetstid.",
        "Funktionsbrevlåda, fritidshem",
        "fritids@linkoping.example",
    ),
)

# ---------------------------------------------------------------------------------------------
# Agreements. Dates: (years before today's year, month) for the start, years of length.
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AgreementSpec:
    code: str
    actor: str
    kind: str
    title: str
    starts: tuple[int, int]  # (years before today's year, month): from the 1st of that month
    years: int | None  # length in whole years; None = until further notice
    note: str


AGREEMENTS: tuple[AgreementSpec, ...] = (
    AgreementSpec(
        "hangavtal-daglig-verksamhet",
        "rad-och-stod",
        AgreementKind.ATTACHED,
        "Hängavtal till social- och omsorgsnämndens avtal om daglig verksamhet",
        (2, 1),
        3,
        "Gör att daglig verksamhet kan ta emot arbetsmarknadsnämndens deltagare utan "
        "LSS-beslut som behöver sysselsättning, arbetsträning eller arbetsprövning.",
    ),
    AgreementSpec(
        "uppdrag-support-och-arbetsteamet",
        "rad-och-stod",
        AgreementKind.INTERNAL,
        "Verksamhetsuppdrag Support- och arbetsteamet",
        (2, 1),
        None,
        "Uppdrag från social- och omsorgsnämnden. Önskat läge: fler platser under "
        "arbetsmarknadsnämnden och en bredare målgrupp än psykisk ohälsa.",
    ),
    AgreementSpec(
        "uppdrag-kof",
        "amc",
        AgreementKind.INTERNAL,
        "Verksamhetsuppdrag KOF i stället för upphandling",
        (1, 3),
        2,
        "Nämnderna ger uppdraget inom kommunen i stället för att upphandla; ger arbeten med "
        "samhällsstöd.",
    ),
    AgreementSpec(
        "uppdrag-mos",
        "amc",
        AgreementKind.INTERNAL,
        "Verksamhetsuppdrag MOS i stället för upphandling",
        (1, 9),
        2,
        "Som KOF: ett uppdrag inom kommunen som skapar arbeten med samhällsstöd.",
    ),
    AgreementSpec(
        "iop-motesplats",
        "iop",
        AgreementKind.IOP,
        "IOP Mötesplats och språkcafé",
        (2, 1),
        3,
        "Idéburet offentligt partnerskap om mötesplats, språkcafé och samhällsorientering.",
    ),
    AgreementSpec(
        "iop-arbetstraning",
        "iop",
        AgreementKind.IOP,
        "IOP Arbetsträning i second hand och återbruk",
        (1, 1),
        3,
        "Partnerskap om arbetsträningsplatser i föreningsdriven second hand.",
    ),
    AgreementSpec(
        "upphandling-matchning",
        "naringslivet",
        AgreementKind.PROCUREMENT,
        "Upphandlad matchningstjänst mot näringslivet",
        (2, 7),
        2,
        "Upphandlad leverantör av jobbmatchning; kan på sikt bli ett verksamhetsuppdrag.",
    ),
    AgreementSpec(
        "lokal-overenskommelse-af",
        "arbetsformedlingen",
        AgreementKind.OTHER,
        "Lokal överenskommelse med Arbetsförmedlingen",
        (1, 9),
        None,
        "Gemensamt ansvar för deltagare i JOB och UGA och för subventionerade anställningar.",
    ),
)

# ---------------------------------------------------------------------------------------------
# Interventions.
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class InterventionSpec:
    code: str
    name: str
    step: str
    provider: str
    activity: str
    track: str
    places: int
    occupied: int = 0
    waiting: int = 0
    hours: int = 0
    cost: int = 0
    groups: tuple[str, ...] = ()
    min_hours: int | None = None
    swedish: str = SwedishRequirement.ANY
    ages: tuple[int | None, int | None] = (None, None)
    criteria: str = ""
    description: str = ""
    languages: str = ""  # non-empty: language support in these languages
    location: str = ""
    agreement: str | None = None
    status: str = InterventionStatus.ACTIVE
    # Capacity history: ``earlier`` places until ``changed`` months before today's month.
    earlier: int | None = None
    changed: int = 0
    change_reason: str = ""
    starts_in: int | None = None  # planned: starts this many months after today's month
    ended: int | None = None  # ended: this many months before today's month


ARABIC_SOMALI_TIGRINYA = "arabiska, somaliska, tigrinja"
ARABIC_DARI_SOMALI = "arabiska, dari, somaliska"

INTERVENTIONS: tuple[InterventionSpec, ...] = (
    # --- Sysselsättning ---------------------------------------------------------------------
    InterventionSpec(
        "daglig-verksamhet-sysselsattning",
        "Sysselsättning i daglig verksamhet",
        SYSS,
        "rad-och-stod",
        ActivityType.WORK_ABILITY,
        Track.CARE,
        places=20,
        occupied=17,
        waiting=2,
        hours=10,
        cost=9500,
        groups=(ILL_HEALTH, SOCIAL),
        criteria="Platser via hängavtal; inget LSS-beslut krävs.",
        description="Meningsfull vardag med fasta tider i små grupper.",
        location="Ekholmen, Linköping",
        agreement="hangavtal-daglig-verksamhet",
    ),
    InterventionSpec(
        "motesplats-vardag",
        "Mötesplats och vardagsrutiner",
        SYSS,
        "iop",
        ActivityType.OTHER,
        Track.CIVIL_SOCIETY,
        places=30,
        occupied=22,
        hours=8,
        cost=3200,
        description="Gemenskap, rutiner och aktiviteter i en förening.",
        languages=ARABIC_SOMALI_TIGRINYA,
        location="Skäggetorp, Linköping",
        agreement="iop-motesplats",
    ),
    InterventionSpec(
        "sprakcafe-samhallsorientering",
        "Språkcafé med samhällsorientering",
        SYSS,
        "iop",
        ActivityType.LANGUAGE,
        Track.CIVIL_SOCIETY,
        places=40,
        occupied=31,
        hours=6,
        cost=2500,
        description="Samtal på svenska och information om samhället.",
        languages=ARABIC_DARI_SOMALI,
        location="Berga, Linköping",
        agreement="iop-motesplats",
        earlier=30,
        changed=3,
        change_reason="Fler volontärer i partnerskapet",
    ),
    InterventionSpec(
        "friskvard-rorelse",
        "Friskvård och rörelse",
        SYSS,
        "idrott-och-service",
        ActivityType.HEALTH,
        Track.MUNICIPAL,
        places=25,
        occupied=19,
        hours=4,
        cost=1800,
        description="Rörelse i grupp och samtal om hälsa.",
        location="Ryd, Linköping",
    ),
    InterventionSpec(
        "aktivitet-boendestod",
        "Aktivitetsgrupp med boendestöd",
        SYSS,
        "aldre-funktionsnedsatta",
        ActivityType.OTHER,
        Track.CARE,
        places=12,
        occupied=10,
        waiting=1,
        hours=6,
        cost=4200,
        groups=(ILL_HEALTH, SOCIAL),
        criteria="Har eller har ansökt om boendestöd.",
        description="Stöd att få ordning på vardagen som grund för aktivering.",
        location="Lambohov, Linköping",
    ),
    InterventionSpec(
        "halsokommunikation-modersmal",
        "Hälsokommunikation på modersmål",
        SYSS,
        "regionen",
        ActivityType.HEALTH,
        Track.CARE,
        places=30,
        occupied=24,
        hours=4,
        cost=1500,
        description="Hälsokommunikatörer om hälsa, vård och egenvård.",
        languages=ARABIC_SOMALI_TIGRINYA,
        location="Skäggetorp, Linköping",
    ),
    # --- Arbetsinriktad rehabilitering: arbetsträning och arbetsprövning -------------------
    InterventionSpec(
        "arbetsmarknadsservice-utvecklingsplats",
        "Arbetsträning i arbetslag, Arbetsmarknadsservice",
        REHAB,
        "amc",
        ActivityType.WORKPLACE,
        Track.MUNICIPAL,
        places=60,
        occupied=48,
        waiting=3,
        hours=25,
        cost=6500,
        groups=(UNEMPLOYMENT, SOCIAL),
        min_hours=10,
        description="Utvecklingsplatser i arbetslag: fastighet, park, tvätt och kök.",
        location="Tornby, Linköping",
        earlier=50,
        changed=8,
        change_reason="Utökat uppdrag för heltidsaktivering",
    ),
    InterventionSpec(
        "arbetsprovning-bedomning",
        "Arbetsprövning med arbetsförmågebedömning",
        REHAB,
        "amc",
        ActivityType.WORK_ABILITY,
        Track.MUNICIPAL,
        places=30,
        occupied=24,
        waiting=4,
        hours=20,
        cost=7200,
        groups=(UNEMPLOYMENT, ILL_HEALTH, SOCIAL),
        min_hours=5,
        criteria="Även underlag till ansökan hos Försäkringskassan.",
        description="Prövning i anpassade uppgifter och en skriftlig bedömning.",
        location="Tornby, Linköping",
    ),
    InterventionSpec(
        "sprakpraktik-arbetsplats",
        "Språkpraktik på arbetsplats",
        REHAB,
        "amc",
        ActivityType.LANGUAGE,
        Track.MUNICIPAL,
        places=30,
        occupied=22,
        waiting=2,
        hours=20,
        cost=5200,
        groups=(UNEMPLOYMENT,),
        min_hours=10,
        description="Praktik med språkhandledare som tränar arbetsplatsens svenska.",
        languages=ARABIC_DARI_SOMALI,
        location="Centrum, Linköping",
    ),
    InterventionSpec(
        "arbetstraning-kommunkoncernen",
        "Arbetsträning inom kommunkoncernen",
        REHAB,
        "hr-arbetsgivare",
        ActivityType.WORKPLACE,
        Track.EMPLOYER,
        places=45,
        occupied=34,
        hours=25,
        cost=3500,
        groups=(UNEMPLOYMENT,),
        min_hours=15,
        swedish=SwedishRequirement.MODERATE,
        ages=(18, 64),
        description="Arbetsträning med handledare i kommunens verksamheter.",
        location="Hela kommunen",
        earlier=55,
        changed=10,
        change_reason="Färre handledare i verksamheterna",
    ),
    InterventionSpec(
        "daglig-verksamhet-arbetstraning",
        "Arbetsträning i daglig verksamhet",
        REHAB,
        "rad-och-stod",
        ActivityType.WORKPLACE,
        Track.CARE,
        places=15,
        occupied=12,
        waiting=2,
        hours=15,
        cost=9000,
        groups=(ILL_HEALTH, SOCIAL),
        criteria="Platser via hängavtal; inget LSS-beslut krävs.",
        description="Arbetsträning i daglig verksamhets arbetsgrupper.",
        location="Hackefors, Linköping",
        agreement="hangavtal-daglig-verksamhet",
    ),
    InterventionSpec(
        "arbetstraning-idrott-service",
        "Arbetsträning inom idrott och service",
        REHAB,
        "idrott-och-service",
        ActivityType.WORKPLACE,
        Track.MUNICIPAL,
        places=25,
        occupied=19,
        waiting=1,
        hours=20,
        cost=4000,
        min_hours=10,
        description="Arbetsträning i idrottshallar, bad och reception.",
        location="Ryd, Linköping",
    ),
    InterventionSpec(
        "second-hand-aterbruk",
        "Arbetsträning i second hand och återbruk",
        REHAB,
        "iop",
        ActivityType.WORKPLACE,
        Track.CIVIL_SOCIETY,
        places=20,
        occupied=13,
        hours=20,
        cost=3800,
        min_hours=8,
        description="Butik, sortering och reparation i föreningsdriven second hand.",
        languages="arabiska",
        location="Skäggetorp, Linköping",
        agreement="iop-arbetstraning",
    ),
    InterventionSpec(
        "praktik-foreningsliv",
        "Praktik i föreningslivet",
        REHAB,
        "civilsamhallet",
        ActivityType.WORKPLACE,
        Track.CIVIL_SOCIETY,
        places=15,
        occupied=11,
        hours=15,
        cost=2200,
        min_hours=8,
        description="Praktik i idrotts- och kulturföreningar.",
        location="Hela kommunen",
    ),
    InterventionSpec(
        "samordningsbron",
        "Samordningsbron",
        REHAB,
        "samordningsforbundet",
        ActivityType.WORK_ABILITY,
        Track.MUNICIPAL,
        places=20,
        occupied=16,
        waiting=2,
        hours=15,
        cost=6000,
        groups=(ILL_HEALTH,),
        criteria="Behöver stöd från flera myndigheter samtidigt.",
        description="Samordnad rehabilitering med kommun, region, FK och AF.",
        location="Centrum, Linköping",
    ),
    InterventionSpec(
        "drivbank",
        "Drivbänk",
        REHAB,
        "samordningsforbundet",
        ActivityType.WORK_ABILITY,
        Track.MUNICIPAL,
        places=15,
        occupied=11,
        waiting=1,
        hours=10,
        cost=5500,
        ages=(18, 29),
        description="Motivation och arbetsförberedelse för unga vuxna.",
        location="Centrum, Linköping",
    ),
    InterventionSpec(
        "arbetstraning-af",
        "Arbetsträning via Arbetsförmedlingen",
        REHAB,
        "arbetsformedlingen",
        ActivityType.WORKPLACE,
        Track.EMPLOYMENT_SERVICE,
        places=20,
        occupied=17,
        hours=30,
        cost=0,
        groups=(UNEMPLOYMENT,),
        min_hours=20,
        criteria="Inskriven i JOB eller UGA.",
        description="Arbetsträning hos arbetsgivare; Arbetsförmedlingen står för kostnaden.",
        location="Hela kommunen",
        agreement="lokal-overenskommelse-af",
    ),
    InterventionSpec(
        "vaxthus-arbetstraning",
        "Arbetsträning i kommunens växthus",
        REHAB,
        "amc",
        ActivityType.WORKPLACE,
        Track.MUNICIPAL,
        places=10,
        hours=20,
        cost=5800,
        min_hours=10,
        description="Odling och försäljning; avslutad när lokalen såldes.",
        location="Tornby, Linköping",
        status=InterventionStatus.ENDED,
        ended=4,
    ),
    # --- Arbete med samhällsstöd -------------------------------------------------------------
    InterventionSpec(
        "support-och-arbetsteamet",
        "Support- och arbetsteamet (Supported employment)",
        SUPPORTED,
        "rad-och-stod",
        ActivityType.WORKPLACE,
        Track.CARE,
        places=25,
        occupied=25,
        waiting=18,
        hours=20,
        cost=8500,
        groups=(ILL_HEALTH,),
        criteria="I dag främst personer med psykisk ohälsa; en bredare målgrupp önskas.",
        description="Supported employment: först ett arbete, sedan stöd på arbetsplatsen. "
        "Goda resultat till arbete och studier, och kö till platserna.",
        location="Leanlink, Linköping",
        agreement="uppdrag-support-och-arbetsteamet",
    ),
    InterventionSpec(
        "kof-stodd-anstallning",
        "Stödd anställning i KOF-uppdrag",
        SUPPORTED,
        "amc",
        ActivityType.WORKPLACE,
        Track.MUNICIPAL,
        places=12,
        occupied=12,
        waiting=9,
        hours=32,
        cost=14500,
        groups=(UNEMPLOYMENT, SOCIAL),
        min_hours=20,
        description="Anställning med stöd i uppdrag som förut upphandlades.",
        location="Tornby, Linköping",
        agreement="uppdrag-kof",
        earlier=8,
        changed=5,
        change_reason="Nytt verksamhetsuppdrag i stället för upphandling",
    ),
    InterventionSpec(
        "mos-stodd-anstallning",
        "Stödd anställning i MOS-uppdrag",
        SUPPORTED,
        "amc",
        ActivityType.WORKPLACE,
        Track.MUNICIPAL,
        places=10,
        occupied=10,
        waiting=8,
        hours=32,
        cost=14500,
        groups=(UNEMPLOYMENT, SOCIAL),
        min_hours=20,
        description="Anställning med stöd i uppdrag som förut upphandlades.",
        location="Hackefors, Linköping",
        agreement="uppdrag-mos",
    ),
    InterventionSpec(
        "offentligt-skyddad-anstallning",
        "Offentligt skyddad anställning i kommunen",
        SUPPORTED,
        "hr-arbetsgivare",
        ActivityType.WORKPLACE,
        Track.EMPLOYER,
        places=10,
        occupied=10,
        waiting=7,
        hours=30,
        cost=9000,
        groups=(ILL_HEALTH, UNEMPLOYMENT),
        min_hours=15,
        criteria="Nedsatt arbetsförmåga bedömd av Arbetsförmedlingen.",
        description="Lönebidragsanställning i kommunens verksamheter.",
        location="Hela kommunen",
    ),
    InterventionSpec(
        "extratjanst-forening",
        "Extratjänst i förening",
        SUPPORTED,
        "civilsamhallet",
        ActivityType.WORKPLACE,
        Track.CIVIL_SOCIETY,
        places=8,
        occupied=8,
        waiting=6,
        hours=30,
        cost=3000,
        groups=(UNEMPLOYMENT,),
        min_hours=20,
        description="Subventionerad anställning i förening.",
        location="Hela kommunen",
    ),
    InterventionSpec(
        "introduktionsjobb-foretag",
        "Introduktionsjobb hos företag",
        SUPPORTED,
        "naringslivet",
        ActivityType.WORKPLACE,
        Track.BUSINESS,
        places=6,
        occupied=6,
        waiting=5,
        hours=35,
        cost=2500,
        groups=(UNEMPLOYMENT,),
        min_hours=25,
        swedish=SwedishRequirement.MODERATE,
        description="Subventionerad anställning med handledare på företaget.",
        location="Mjärdevi, Linköping",
    ),
    InterventionSpec(
        "lonebidrag-af",
        "Lönebidrag via Arbetsförmedlingen",
        SUPPORTED,
        "arbetsformedlingen",
        ActivityType.WORKPLACE,
        Track.EMPLOYMENT_SERVICE,
        places=8,
        occupied=8,
        waiting=6,
        hours=30,
        cost=1500,
        groups=(ILL_HEALTH, UNEMPLOYMENT),
        min_hours=15,
        criteria="Inskriven hos Arbetsförmedlingen med nedsatt arbetsförmåga.",
        description="Anställning med lönebidrag; kommunen ger handledarstöd.",
        location="Hela kommunen",
        agreement="lokal-overenskommelse-af",
    ),
    InterventionSpec(
        "support-och-arbetsteamet-utokat",
        "Support- och arbetsteamet, bredare målgrupp",
        SUPPORTED,
        "rad-och-stod",
        ActivityType.WORKPLACE,
        Track.CARE,
        places=15,
        hours=20,
        cost=8500,
        criteria="Öppet för fler än personer med psykisk ohälsa.",
        description="Planerad utökning under arbetsmarknadsnämnden.",
        location="Leanlink, Linköping",
        agreement="uppdrag-support-och-arbetsteamet",
        status=InterventionStatus.PLANNED,
        starts_in=2,
    ),
    # --- Arbete/studier ---------------------------------------------------------------------
    InterventionSpec(
        "orienteringskurs-bristyrken",
        "Orienteringskurs mot bristyrken",
        WORK,
        "vuxenutbildningen",
        ActivityType.WORK_ABILITY,
        Track.ADULT_EDUCATION,
        places=40,
        occupied=29,
        hours=20,
        cost=4500,
        min_hours=15,
        swedish=SwedishRequirement.MODERATE,
        description="Korta kurser mot vård, lager och restaurang.",
        location="Valla, Linköping",
    ),
    InterventionSpec(
        "yrkessvenska",
        "Yrkessvenska",
        WORK,
        "vuxenutbildningen",
        ActivityType.LANGUAGE,
        Track.ADULT_EDUCATION,
        places=35,
        occupied=30,
        hours=15,
        cost=3000,
        min_hours=10,
        description="Svenska för ett yrkesområde, parallellt med praktik.",
        languages="arabiska, dari",
        location="Centrum, Linköping",
    ),
    InterventionSpec(
        "jobbsokarstod",
        "Jobbsökarstöd och matchning",
        WORK,
        "amc",
        ActivityType.JOB_SEARCH,
        Track.MUNICIPAL,
        places=40,
        occupied=31,
        hours=10,
        cost=2800,
        groups=(UNEMPLOYMENT,),
        swedish=SwedishRequirement.MODERATE,
        description="Coachning, ansökningar och kontakt med arbetsgivare.",
        location="Centrum, Linköping",
    ),
    InterventionSpec(
        "matchning-naringsliv",
        "Matchning mot näringslivet",
        WORK,
        "naringslivet",
        ActivityType.JOB_SEARCH,
        Track.BUSINESS,
        places=25,
        occupied=21,
        hours=10,
        cost=5200,
        groups=(UNEMPLOYMENT,),
        min_hours=20,
        swedish=SwedishRequirement.FLUENT,
        description="Upphandlad leverantör matchar mot lediga jobb hos företag.",
        location="Mjärdevi, Linköping",
        agreement="upphandling-matchning",
    ),
    InterventionSpec(
        "rekryteringstraffar",
        "Rekryteringsträffar med arbetsgivare",
        WORK,
        "arbetsformedlingen",
        ActivityType.JOB_SEARCH,
        Track.EMPLOYMENT_SERVICE,
        places=30,
        occupied=18,
        hours=4,
        cost=0,
        description="Träffar där arbetsgivare möter arbetssökande.",
        location="Centrum, Linköping",
        agreement="lokal-overenskommelse-af",
    ),
    # --- The nine missing interventions (the seeds, June 2020): recorded needs, no places ----
    InterventionSpec(
        "behov-samhallsinformation",
        "Samhällsinformation för fler",
        SYSS,
        "vuxenutbildningen",
        ActivityType.LANGUAGE,
        Track.ADULT_EDUCATION,
        places=0,
        criteria="Även för dem som inte är i etableringsprogrammet.",
        description="Samhällsinformation och samhällskunskap.",
        status=InterventionStatus.NEEDED,
    ),
    InterventionSpec(
        "behov-datakunskap",
        "Datakunskap",
        SYSS,
        "vuxenutbildningen",
        ActivityType.WORK_ABILITY,
        Track.ADULT_EDUCATION,
        places=0,
        description="Grundläggande datorvana för att söka jobb och använda e-tjänster.",
        status=InterventionStatus.NEEDED,
    ),
    InterventionSpec(
        "behov-halsofamjande",
        "Hälsofrämjande insatser",
        SYSS,
        "regionen",
        ActivityType.HEALTH,
        Track.CARE,
        places=0,
        description="Hälsofrämjande insatser parallellt med övriga insatser.",
        status=InterventionStatus.NEEDED,
    ),
    InterventionSpec(
        "behov-studievagledning-arbetsplats",
        "Studievägledning på arbetsplatsen",
        REHAB,
        "vuxenutbildningen",
        ActivityType.OTHER,
        Track.ADULT_EDUCATION,
        places=0,
        description="Studie- och yrkesvägledare träffar deltagaren där hen arbetstränar.",
        status=InterventionStatus.NEEDED,
    ),
    InterventionSpec(
        "behov-sfi-sprakpraktik",
        "Sfi och språkpraktik på samma plats",
        REHAB,
        "vuxenutbildningen",
        ActivityType.LANGUAGE,
        Track.ADULT_EDUCATION,
        places=0,
        description="Sfi kombinerad med språkpraktik, på samma ställe som praktiken.",
        status=InterventionStatus.NEEDED,
    ),
    InterventionSpec(
        "behov-spar-vuxenutbildning",
        "Tydligt spår till vuxenutbildning",
        WORK,
        "vuxenutbildningen",
        ActivityType.WORK_ABILITY,
        Track.ADULT_EDUCATION,
        places=0,
        description="En tydlig väg från insats till utbildning för vuxna.",
        status=InterventionStatus.NEEDED,
    ),
    InterventionSpec(
        "behov-medarbetare-ute",
        "Medarbetare som arbetar ute",
        WORK,
        "amc",
        ActivityType.JOB_SEARCH,
        Track.MUNICIPAL,
        places=0,
        description="Medarbetare med kontakt med vuxenutbildningen och arbetsgivare.",
        status=InterventionStatus.NEEDED,
    ),
    InterventionSpec(
        "behov-intervjutraning",
        "Intervjuträning i större omfattning",
        WORK,
        "amc",
        ActivityType.JOB_SEARCH,
        Track.MUNICIPAL,
        places=0,
        description="Mer träning inför anställningsintervjuer.",
        status=InterventionStatus.NEEDED,
    ),
    InterventionSpec(
        "behov-cv-personligt-brev",
        "CV och personligt brev i större omfattning",
        WORK,
        "amc",
        ActivityType.JOB_SEARCH,
        Track.MUNICIPAL,
        places=0,
        description="Mer träning i att skriva CV och personligt brev.",
        status=InterventionStatus.NEEDED,
    ),
)

# ---------------------------------------------------------------------------------------------
# Writing.
# ---------------------------------------------------------------------------------------------


def _month(today: date, offset: int) -> date:
    """The first of the month ``offset`` months after today's month (negative: before)."""
    index = today.year * 12 + today.month - 1 + offset
    return date(index // 12, index % 12 + 1, 1)


def catalogue_since(today: date) -> date:
    """The day the demo catalogue starts: 1 January two years before ``today``."""
    return date(today.year - 2, 1, 1)


def build_catalogue(*, today: date) -> None:
    """Fill the demo catalogue as it stands on ``today``; the same day gives the same rows.

    A database that already has actors or interventions keeps its catalogue untouched."""
    if Actor.objects.exists() or Intervention.objects.exists():
        return
    with transaction.atomic():
        units, _ = ensure_units()
        actors = _write_actors(units)
        agreements = _write_agreements(actors, today)
        interventions = _write_interventions(actors, agreements, today)
        _write_capacity(interventions, today)


def _write_actors(units: dict[str, Unit]) -> dict[str, Actor]:
    rows = [
        Actor(
            code=a.code,
            name=a.name,
            kind=a.kind,
            rank=a.rank,
            rank_note=a.rank_note,
            affects=a.affects,
            affected=a.affected,
            conflicts=a.conflicts,
            contact_name=a.contact_name,
            contact_email=a.contact_email,
            unit=units[a.unit] if a.unit else None,
        )
        for a in ACTORS
    ]
    for row in rows:
        row.full_clean(validate_unique=False, validate_constraints=False)
    return {a.code: a for a in Actor.objects.bulk_create(rows)}


def _write_agreements(actors: dict[str, Actor], today: date) -> dict[str, Agreement]:
    rows = []
    for spec in AGREEMENTS:
        years_before, month = spec.starts
        starts = date(today.year - years_before, month, 1)
        ends = (
            None
            if spec.years is None
            else date(starts.year + spec.years, starts.month, 1) - timedelta(days=1)
        )
        rows.append(
            Agreement(
                code=spec.code,
                actor=actors[spec.actor],
                kind=spec.kind,
                title=spec.title,
                valid_from=starts,
                valid_to=ends,
                note=spec.note,
            )
        )
    for row in rows:
        row.full_clean(validate_unique=False, validate_constraints=False)
    return {a.code: a for a in Agreement.objects.bulk_create(rows)}


def _dates(spec: InterventionSpec, today: date) -> tuple[date, date | None]:
    if spec.starts_in is not None:
        return _month(today, spec.starts_in), None
    start = catalogue_since(today)
    if spec.status == InterventionStatus.NEEDED:
        return start, None
    if spec.ended is not None:
        return start, _month(today, -spec.ended) - timedelta(days=1)
    return start, None


def _write_interventions(
    actors: dict[str, Actor], agreements: dict[str, Agreement], today: date
) -> list[tuple[InterventionSpec, Intervention]]:
    steps = {s.code: s for s in Step.objects.filter(code__in=[SYSS, REHAB, SUPPORTED, WORK])}
    rows = []
    for spec in INTERVENTIONS:
        start, end = _dates(spec, today)
        needed = spec.status == InterventionStatus.NEEDED
        rows.append(
            Intervention(
                code=spec.code,
                name=spec.name,
                description=spec.description,
                provider=actors[spec.provider],
                agreement=agreements[spec.agreement] if spec.agreement else None,
                step=steps[spec.step],
                activity_type=spec.activity,
                track=spec.track,
                target_groups=",".join(spec.groups),
                min_activity_hours=None if spec.min_hours is None else Decimal(spec.min_hours),
                swedish_requirement=spec.swedish,
                age_min=spec.ages[0],
                age_max=spec.ages[1],
                criteria_text=spec.criteria,
                hours_per_week=Decimal(spec.hours),
                cost_per_place_month=spec.cost,
                language_support=bool(spec.languages),
                language_support_note=spec.languages,
                location=spec.location,
                start_date=None if needed else start,
                end_date=end,
                status=spec.status,
            )
        )
    for row in rows:
        row.full_clean(validate_unique=False, validate_constraints=False)
    created = Intervention.objects.bulk_create(rows)
    return list(zip(INTERVENTIONS, created, strict=True))


def _places_on(spec: InterventionSpec, day: date, today: date) -> int:
    """The places the spec gives on a day (for the earlier occupancy count)."""
    if spec.earlier is not None and day < _month(today, -spec.changed):
        return spec.earlier
    return spec.places


def _write_capacity(
    interventions: list[tuple[InterventionSpec, Intervention]], today: date
) -> None:
    since = catalogue_since(today)
    current = _month(today, 0)
    earlier_count = _month(today, -6)
    changes: list[CapacityChange] = []
    counts: list[OccupancyCount] = []
    for spec, intervention in interventions:
        if spec.starts_in is not None:  # planned: its places begin on the start date
            start = intervention.start_date
            assert start is not None
            changes.append(
                CapacityChange(
                    intervention=intervention,
                    valid_from=start,
                    places=spec.places,
                    reason="Planerad start",
                )
            )
            continue
        if spec.status == InterventionStatus.NEEDED:
            changes.append(
                CapacityChange(
                    intervention=intervention,
                    valid_from=since,
                    places=0,
                    reason="Saknad insats: behov utan platser",
                )
            )
            continue
        first = spec.earlier if spec.earlier is not None else spec.places
        changes.append(
            CapacityChange(
                intervention=intervention, valid_from=since, places=first, reason=BASELINE_REASON
            )
        )
        if spec.earlier is not None:
            changes.append(
                CapacityChange(
                    intervention=intervention,
                    valid_from=_month(today, -spec.changed),
                    places=spec.places,
                    reason=spec.change_reason,
                )
            )
        if spec.ended is not None:
            ended = _month(today, -spec.ended)
            changes.append(
                CapacityChange(
                    intervention=intervention,
                    valid_from=ended,
                    places=0,
                    reason="Insatsen avslutad",
                )
            )
            counts.append(
                OccupancyCount(
                    intervention=intervention,
                    valid_from=since,
                    occupied=spec.places - 2,
                    waiting=0,
                    source=OCCUPANCY_SOURCE,
                )
            )
            counts.append(
                OccupancyCount(
                    intervention=intervention,
                    valid_from=ended,
                    occupied=0,
                    waiting=0,
                    source=OCCUPANCY_SOURCE,
                )
            )
            continue
        # Earlier counts (the first inventory, six months ago): shorter queues and, unless
        # full, fewer places taken, of the places there were then; then today's month.
        full = spec.occupied >= spec.places
        for day, tenths in ((since, 8), (earlier_count, 9)):
            then = _places_on(spec, day, today)
            counts.append(
                OccupancyCount(
                    intervention=intervention,
                    valid_from=day,
                    occupied=then if full else min(then, spec.occupied * tenths // 10),
                    waiting=spec.waiting * (tenths - 7) // 3,
                    source=OCCUPANCY_SOURCE,
                )
            )
        counts.append(
            OccupancyCount(
                intervention=intervention,
                valid_from=current,
                occupied=spec.occupied,
                waiting=spec.waiting,
                source=OCCUPANCY_SOURCE,
            )
        )
    CapacityChange.objects.bulk_create(changes)
    OccupancyCount.objects.bulk_create(counts)
