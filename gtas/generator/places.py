"""Countries and airports: what addresses, phone numbers, passports and flight times are made of."""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Country:
    """A country as the generator needs it (ISO alpha-3 code, dialling code, currency, customs of its people)."""

    code: str
    dial: str
    currency: str
    culture: str  # culture whose street names and e-mail providers are used
    cities: tuple[str, ...]
    postcode: str  # pattern: D digit, L letter, anything else literal
    passport: str  # pattern of passport numbers
    visa_waiver: bool = False  # nationals need no visa for the usual destinations
    mail: tuple[str, ...] = ()


def _c(code: str, dial: str, currency: str, culture: str, cities: str, postcode: str, passport: str,
       waiver: bool = False, mail: str = "") -> Country:
    return Country(code, dial, currency, culture, tuple(cities.split(",")), postcode, passport, waiver,
                   tuple(mail.split(",")) if mail else ())


COUNTRIES: dict[str, Country] = {
    c.code: c
    for c in (
        _c("USA", "1", "USD", "anglo", "NEW YORK,CHICAGO,HOUSTON,SEATTLE,BOSTON,DENVER,ATLANTA,SAN DIEGO",
           "DDDDD", "LDDDDDDDD", True, "COMCAST.NET,ICLOUD.COM"),
        _c("GBR", "44", "GBP", "anglo", "LONDON,MANCHESTER,LEEDS,BRISTOL,GLASGOW,BIRMINGHAM",
           "LLD DLL", "DDDDDDDDD", True, "BTINTERNET.COM"),
        _c("CAN", "1", "CAD", "anglo", "TORONTO,VANCOUVER,MONTREAL,CALGARY,OTTAWA", "LDL DLD", "LLDDDDDD", True,
           "ROGERS.COM"),
        _c("AUS", "61", "AUD", "anglo", "SYDNEY,MELBOURNE,BRISBANE,PERTH,ADELAIDE", "DDDD", "LDDDDDDD", True,
           "BIGPOND.COM"),
        _c("IRL", "353", "EUR", "anglo", "DUBLIN,CORK,GALWAY,LIMERICK", "LDD LDLD", "LLDDDDDDD", True, "EIRCOM.NET"),
        _c("NZL", "64", "NZD", "anglo", "AUCKLAND,WELLINGTON,CHRISTCHURCH", "DDDD", "LLDDDDDD", True, "XTRA.CO.NZ"),
        _c("ZAF", "27", "ZAR", "anglo", "JOHANNESBURG,CAPE TOWN,DURBAN,PRETORIA", "DDDD", "LDDDDDDDD", False),
        _c("MEX", "52", "MXN", "hispanic", "CIUDAD DE MEXICO,GUADALAJARA,MONTERREY,PUEBLA,CANCUN", "DDDDD",
           "LDDDDDDDD", False, "PRODIGY.NET.MX"),
        _c("ESP", "34", "EUR", "hispanic", "MADRID,BARCELONA,VALENCIA,SEVILLA,BILBAO,MALAGA", "DDDDD", "LLLDDDDDD",
           True, "TELEFONICA.NET"),
        _c("COL", "57", "COP", "hispanic", "BOGOTA,MEDELLIN,CALI,BARRANQUILLA,CARTAGENA", "DDDDDD", "LLDDDDDDD"),
        _c("ARG", "54", "ARS", "hispanic", "BUENOS AIRES,CORDOBA,ROSARIO,MENDOZA", "LDDDDLLL", "DDDDDDDDL"),
        _c("PER", "51", "PEN", "hispanic", "LIMA,AREQUIPA,CUSCO,TRUJILLO", "DDDDD", "DDDDDDDDD"),
        _c("CHL", "56", "CLP", "hispanic", "SANTIAGO,VALPARAISO,CONCEPCION", "DDDDDDD", "LDDDDDDDD", True),
        _c("VEN", "58", "VES", "hispanic", "CARACAS,MARACAIBO,VALENCIA", "DDDD", "DDDDDDDDD"),
        _c("ECU", "593", "USD", "hispanic", "QUITO,GUAYAQUIL,CUENCA", "DDDDDD", "LDDDDDDDD"),
        _c("BRA", "55", "BRL", "lusophone", "SAO PAULO,RIO DE JANEIRO,BRASILIA,SALVADOR,BELO HORIZONTE,RECIFE",
           "DDDDD-DDD", "LLDDDDDD", False, "UOL.COM.BR,BOL.COM.BR"),
        _c("PRT", "351", "EUR", "lusophone", "LISBOA,PORTO,BRAGA,COIMBRA,FARO", "DDDD-DDD", "LDDDDDD", True,
           "SAPO.PT"),
        _c("AGO", "244", "AOA", "lusophone", "LUANDA,BENGUELA,HUAMBO", "DDDD", "LDDDDDDD"),
        _c("FRA", "33", "EUR", "french", "PARIS,LYON,MARSEILLE,TOULOUSE,NICE,BORDEAUX,LILLE", "DDDDD",
           "DDLLDDDDD", True, "ORANGE.FR,FREE.FR,LAPOSTE.NET"),
        _c("BEL", "32", "EUR", "french", "BRUXELLES,LIEGE,NAMUR,CHARLEROI", "DDDD", "LLDDDDDDD", True, "SKYNET.BE"),
        _c("CHE", "41", "CHF", "german", "ZUERICH,GENEVE,BASEL,BERN,LAUSANNE", "DDDD", "LDDDDDDD", True,
           "BLUEWIN.CH"),
        _c("LUX", "352", "EUR", "french", "LUXEMBOURG,ESCH-SUR-ALZETTE", "DDDD", "LLDDDDDD", True),
        _c("DEU", "49", "EUR", "german", "BERLIN,HAMBURG,MUENCHEN,KOELN,FRANKFURT,STUTTGART,DUESSELDORF,LEIPZIG",
           "DDDDD", "CDDDDDDDD", True, "WEB.DE,GMX.DE,T-ONLINE.DE"),
        _c("AUT", "43", "EUR", "german", "WIEN,GRAZ,LINZ,SALZBURG,INNSBRUCK", "DDDD", "LDDDDDDD", True, "GMX.AT"),
        _c("ITA", "39", "EUR", "italian", "ROMA,MILANO,NAPOLI,TORINO,FIRENZE,BOLOGNA", "DDDDD", "LLDDDDDDD", True,
           "LIBERO.IT,ALICE.IT"),
        _c("RUS", "7", "RUB", "slavic", "MOSKVA,SANKT-PETERBURG,NOVOSIBIRSK,EKATERINBURG,KAZAN", "DDDDDD",
           "DDDDDDDDD", False, "YANDEX.RU,MAIL.RU"),
        _c("UKR", "380", "UAH", "slavic", "KYIV,KHARKIV,ODESA,LVIV,DNIPRO", "DDDDD", "LLDDDDDD", False, "UKR.NET"),
        _c("BLR", "375", "BYN", "slavic", "MINSK,GOMEL,BREST", "DDDDDD", "LLDDDDDDD", False, "TUT.BY"),
        _c("KAZ", "7", "KZT", "slavic", "ALMATY,ASTANA,SHYMKENT", "DDDDDD", "LDDDDDDDD", False, "MAIL.KZ"),
        _c("SAU", "966", "SAR", "arabic", "RIYADH,JEDDAH,DAMMAM,MAKKAH,MADINAH", "DDDDD", "LDDDDDDD"),
        _c("ARE", "971", "AED", "arabic", "DUBAI,ABU DHABI,SHARJAH,AL AIN", "", "LLDDDDDDD", True,
           "EIM.AE,EMIRATES.NET.AE"),
        _c("EGY", "20", "EGP", "arabic", "CAIRO,ALEXANDRIA,GIZA,LUXOR", "DDDDD", "LDDDDDDDD"),
        _c("JOR", "962", "JOD", "arabic", "AMMAN,IRBID,AQABA", "DDDDD", "LDDDDDDD"),
        _c("LBN", "961", "LBP", "arabic", "BEIRUT,TRIPOLI,SIDON", "DDDD DDDD", "LLDDDDDDD"),
        _c("MAR", "212", "MAD", "arabic", "CASABLANCA,RABAT,MARRAKECH,FES,TANGER", "DDDDD", "LLDDDDDDD"),
        _c("QAT", "974", "QAR", "arabic", "DOHA,AL WAKRAH,AL KHOR", "", "LDDDDDDDD", True),
        _c("KWT", "965", "KWD", "arabic", "KUWAIT CITY,HAWALLI,SALMIYA", "DDDDD", "LDDDDDDDD"),
        _c("IRQ", "964", "IQD", "arabic", "BAGHDAD,BASRA,ERBIL,MOSUL", "DDDDD", "LDDDDDDDD"),
        _c("TUN", "216", "TND", "arabic", "TUNIS,SFAX,SOUSSE", "DDDD", "LDDDDDD"),
        _c("TUR", "90", "TRY", "turkish", "ISTANBUL,ANKARA,IZMIR,BURSA,ANTALYA", "DDDDD", "LDDDDDDDD", False),
        _c("AZE", "994", "AZN", "turkish", "BAKU,GANJA", "LLDDDD", "LDDDDDDDD"),
        _c("IRN", "98", "IRR", "persian", "TEHRAN,MASHHAD,ISFAHAN,SHIRAZ,TABRIZ", "DDDDDDDDDD", "LDDDDDDDD"),
        _c("CHN", "86", "CNY", "chinese", "BEIJING,SHANGHAI,GUANGZHOU,SHENZHEN,CHENGDU,HANGZHOU,WUHAN", "DDDDDD",
           "LDDDDDDDD", False, "QQ.COM,163.COM,SINA.COM"),
        _c("TWN", "886", "TWD", "chinese", "TAIPEI,KAOHSIUNG,TAICHUNG", "DDD", "DDDDDDDDD", True),
        _c("SGP", "65", "SGD", "chinese", "SINGAPORE", "DDDDDD", "LDDDDDDDL", True, "SINGNET.COM.SG"),
        _c("MYS", "60", "MYR", "chinese", "KUALA LUMPUR,PENANG,JOHOR BAHRU", "DDDDD", "LDDDDDDDD", True),
        _c("KOR", "82", "KRW", "korean", "SEOUL,BUSAN,INCHEON,DAEGU,DAEJEON", "DDDDD", "LDDDDDDDD", True,
           "NAVER.COM,DAUM.NET"),
        _c("JPN", "81", "JPY", "japanese", "TOKYO,OSAKA,YOKOHAMA,NAGOYA,SAPPORO,FUKUOKA,KYOTO", "DDD-DDDD",
           "LLDDDDDDD", True, "DOCOMO.NE.JP,YAHOO.CO.JP"),
        _c("IND", "91", "INR", "indian", "MUMBAI,DELHI,BENGALURU,CHENNAI,HYDERABAD,KOLKATA,PUNE,AHMEDABAD",
           "DDDDDD", "LDDDDDDD", False, "REDIFFMAIL.COM"),
        _c("NPL", "977", "NPR", "indian", "KATHMANDU,POKHARA", "DDDDD", "DDDDDDDD"),
        _c("LKA", "94", "LKR", "indian", "COLOMBO,KANDY", "DDDDD", "LDDDDDDD"),
        _c("NGA", "234", "NGN", "nigerian", "LAGOS,ABUJA,KANO,IBADAN,PORT HARCOURT,ENUGU", "DDDDDD", "LDDDDDDDD",
           False, "YAHOO.CO.UK"),
        _c("GHA", "233", "GHS", "nigerian", "ACCRA,KUMASI,TAMALE", "LL-DDD-DDDD", "LDDDDDDD"),
        _c("VNM", "84", "VND", "vietnamese", "HO CHI MINH,HA NOI,DA NANG,HAI PHONG,CAN THO", "DDDDDD", "LDDDDDDD"),
        _c("ETH", "251", "ETB", "ethiopian", "ADDIS ABABA,BAHIR DAR,MEKELLE,HAWASSA", "DDDD", "LLDDDDDDD"),
        _c("ERI", "291", "ERN", "ethiopian", "ASMARA,KEREN", "", "LDDDDDDD"),
    )
}

STREETS: dict[str, tuple[str, ...]] = {
    "anglo": ("MAIN STREET", "OAK AVENUE", "HIGH STREET", "PARK ROAD", "CHURCH LANE", "MAPLE DRIVE",
              "KING'S ROAD", "ELM STREET", "VICTORIA ROAD", "LAKESHORE BLVD"),
    "hispanic": ("CALLE MAYOR", "AVENIDA REFORMA", "CALLE DEL SOL", "AVENIDA LIBERTADOR", "CALLE 72",
                 "PASEO DE LA CASTELLANA"),
    "lusophone": ("RUA AUGUSTA", "AVENIDA PAULISTA", "RUA DAS FLORES", "AVENIDA ATLANTICA", "RUA DO OUVIDOR"),
    "french": ("RUE DE LA PAIX", "AVENUE VICTOR HUGO", "RUE DU MOULIN", "BOULEVARD VOLTAIRE", "RUE D'ALSACE",
               "AVENUE JEAN JAURES"),
    "german": ("HAUPTSTRASSE", "BAHNHOFSTRASSE", "GARTENWEG", "SCHILLERSTRASSE", "GOETHESTRASSE", "LINDENALLEE"),
    "italian": ("VIA ROMA", "VIA GARIBALDI", "CORSO ITALIA", "VIA DANTE", "VIA DEL CORSO"),
    "slavic": ("ULITSA LENINA", "PROSPEKT MIRA", "ULITSA GAGARINA", "VULYTSIA SHEVCHENKA", "NEVSKIY PROSPEKT"),
    "arabic": ("SHEIKH ZAYED ROAD", "KING FAHD ROAD", "SHARIA TAHRIR", "AL WASL ROAD", "HAMRA STREET"),
    "turkish": ("ISTIKLAL CADDESI", "ATATURK BULVARI", "BAGDAT CADDESI", "CUMHURIYET CADDESI"),
    "persian": ("VALIASR STREET", "ENGHELAB STREET", "SHARIATI STREET", "AZADI STREET"),
    "chinese": ("NANJING ROAD", "CHANG AN AVENUE", "ZHONGSHAN ROAD", "RENMIN ROAD", "JIANGUO ROAD"),
    "korean": ("TEHERAN-RO", "GANGNAM-DAERO", "SEJONG-DAERO", "HAEUNDAE-RO"),
    "japanese": ("CHUO-DORI", "OMOTESANDO", "MIDOSUJI", "SHINJUKU DORI"),
    "indian": ("MG ROAD", "LINKING ROAD", "ANNA SALAI", "PARK STREET", "BRIGADE ROAD", "NEHRU PLACE"),
    "nigerian": ("BROAD STREET", "ADEOLA ODEKU STREET", "AWOLOWO ROAD", "AMINU KANO CRESCENT"),
    "vietnamese": ("DUONG LE LOI", "DUONG NGUYEN HUE", "PHO HANG BAC", "DUONG TRAN HUNG DAO"),
    "ethiopian": ("CHURCHILL AVENUE", "BOLE ROAD", "AFRICA AVENUE", "ARADA STREET"),
}

# ISO alpha-3 → alpha-2, for fields that carry two-letter country codes (PNR ORG).
_ALPHA2 = """
USA:US GBR:GB CAN:CA AUS:AU IRL:IE NZL:NZ ZAF:ZA MEX:MX ESP:ES COL:CO ARG:AR PER:PE CHL:CL VEN:VE
ECU:EC BRA:BR PRT:PT AGO:AO FRA:FR BEL:BE CHE:CH LUX:LU DEU:DE AUT:AT ITA:IT RUS:RU UKR:UA BLR:BY
KAZ:KZ SAU:SA ARE:AE EGY:EG JOR:JO LBN:LB MAR:MA QAT:QA KWT:KW IRQ:IQ TUN:TN TUR:TR AZE:AZ IRN:IR
CHN:CN TWN:TW SGP:SG MYS:MY KOR:KR JPN:JP IND:IN NPL:NP LKA:LK NGA:NG GHA:GH VNM:VN ETH:ET ERI:ER
"""
ALPHA2: dict[str, str] = dict(pair.split(":", 1) for pair in _ALPHA2.split())

# Rough value of one US dollar, to quote fares in the currency of the point of sale.
USD_RATES = {"USD": 1.0, "EUR": 0.92, "GBP": 0.79, "CAD": 1.36, "AUD": 1.52, "CHF": 0.88, "JPY": 150.0,
             "KRW": 1330.0, "CNY": 7.2, "INR": 83.0, "AED": 3.67, "QAR": 3.64, "SAR": 3.75, "TRY": 32.0,
             "BRL": 5.0, "MXN": 17.0, "SGD": 1.35, "RUB": 92.0, "EGP": 47.0, "NGN": 1500.0, "ETB": 57.0,
             "ZAR": 18.5, "COP": 3900.0, "CLP": 930.0}

MAIL = ("GMAIL.COM", "GMAIL.COM", "GMAIL.COM", "YAHOO.COM", "OUTLOOK.COM", "HOTMAIL.COM", "ICLOUD.COM")


@dataclass(frozen=True, slots=True)
class Airport:
    code: str
    country: str
    city: str
    lat: float
    lon: float
    utc_offset: float  # standard time, hours
    region: str = ""  # state or province (addresses)
    postcode: str = ""  # postcode prefix of the city centre


def _a(code: str, country: str, city: str, lat: float, lon: float, offset: float, region: str = "",
       postcode: str = "") -> Airport:
    return Airport(code, country, city, lat, lon, offset, region, postcode)


AIRPORTS: dict[str, Airport] = {
    a.code: a
    for a in (
        _a("JFK", "USA", "NEW YORK", 40.64, -73.78, -5, "NY", "100"),
        _a("EWR", "USA", "NEWARK", 40.69, -74.17, -5, "NJ", "071"),
        _a("BOS", "USA", "BOSTON", 42.36, -71.01, -5, "MA", "021"),
        _a("IAD", "USA", "WASHINGTON", 38.95, -77.46, -5, "DC", "200"),
        _a("PHL", "USA", "PHILADELPHIA", 39.87, -75.24, -5, "PA", "191"),
        _a("ATL", "USA", "ATLANTA", 33.64, -84.43, -5, "GA", "303"),
        _a("MIA", "USA", "MIAMI", 25.79, -80.29, -5, "FL", "331"),
        _a("DTW", "USA", "DETROIT", 42.21, -83.35, -5, "MI", "482"),
        _a("ORD", "USA", "CHICAGO", 41.98, -87.90, -6, "IL", "606"),
        _a("DFW", "USA", "DALLAS", 32.90, -97.04, -6, "TX", "752"),
        _a("IAH", "USA", "HOUSTON", 29.99, -95.34, -6, "TX", "770"),
        _a("DEN", "USA", "DENVER", 39.86, -104.67, -7, "CO", "802"),
        _a("LAX", "USA", "LOS ANGELES", 33.94, -118.41, -8, "CA", "900"),
        _a("SFO", "USA", "SAN FRANCISCO", 37.62, -122.38, -8, "CA", "941"),
        _a("SEA", "USA", "SEATTLE", 47.45, -122.31, -8, "WA", "981"),
        _a("YYZ", "CAN", "TORONTO", 43.68, -79.63, -5, "ON"),
        _a("YVR", "CAN", "VANCOUVER", 49.19, -123.18, -8, "BC"),
        _a("MEX", "MEX", "CIUDAD DE MEXICO", 19.44, -99.07, -6),
        _a("BOG", "COL", "BOGOTA", 4.70, -74.15, -5),
        _a("LIM", "PER", "LIMA", -12.02, -77.11, -5),
        _a("GRU", "BRA", "SAO PAULO", -23.43, -46.47, -3),
        _a("GIG", "BRA", "RIO DE JANEIRO", -22.81, -43.25, -3),
        _a("EZE", "ARG", "BUENOS AIRES", -34.82, -58.54, -3),
        _a("SCL", "CHL", "SANTIAGO", -33.39, -70.79, -4),
        _a("LHR", "GBR", "LONDON", 51.47, -0.45, 0),
        _a("MAN", "GBR", "MANCHESTER", 53.35, -2.27, 0),
        _a("DUB", "IRL", "DUBLIN", 53.42, -6.27, 0),
        _a("CDG", "FRA", "PARIS", 49.01, 2.55, 1),
        _a("FRA", "DEU", "FRANKFURT", 50.03, 8.56, 1),
        _a("MUC", "DEU", "MUENCHEN", 48.35, 11.79, 1),
        _a("ZRH", "CHE", "ZUERICH", 47.46, 8.55, 1),
        _a("VIE", "AUT", "WIEN", 48.11, 16.57, 1),
        _a("MAD", "ESP", "MADRID", 40.47, -3.56, 1),
        _a("LIS", "PRT", "LISBOA", 38.77, -9.13, 0),
        _a("FCO", "ITA", "ROMA", 41.80, 12.25, 1),
        _a("IST", "TUR", "ISTANBUL", 41.26, 28.74, 3),
        _a("SVO", "RUS", "MOSKVA", 55.97, 37.41, 3),
        _a("KBP", "UKR", "KYIV", 50.35, 30.89, 2),
        _a("CAI", "EGY", "CAIRO", 30.12, 31.41, 2),
        _a("AMM", "JOR", "AMMAN", 31.72, 35.99, 3),
        _a("BEY", "LBN", "BEIRUT", 33.82, 35.49, 2),
        _a("CMN", "MAR", "CASABLANCA", 33.37, -7.59, 1),
        _a("RUH", "SAU", "RIYADH", 24.96, 46.70, 3),
        _a("JED", "SAU", "JEDDAH", 21.68, 39.16, 3),
        _a("DXB", "ARE", "DUBAI", 25.25, 55.36, 4),
        _a("DOH", "QAT", "DOHA", 25.27, 51.61, 3),
        _a("IKA", "IRN", "TEHRAN", 35.42, 51.15, 3.5),
        _a("ADD", "ETH", "ADDIS ABABA", 8.98, 38.80, 3),
        _a("LOS", "NGA", "LAGOS", 6.58, 3.32, 1),
        _a("ACC", "GHA", "ACCRA", 5.61, -0.17, 0),
        _a("JNB", "ZAF", "JOHANNESBURG", -26.14, 28.25, 2),
        _a("DEL", "IND", "DELHI", 28.56, 77.10, 5.5),
        _a("BOM", "IND", "MUMBAI", 19.09, 72.87, 5.5),
        _a("BLR", "IND", "BENGALURU", 13.20, 77.71, 5.5),
        _a("PEK", "CHN", "BEIJING", 40.08, 116.58, 8),
        _a("PVG", "CHN", "SHANGHAI", 31.14, 121.81, 8),
        _a("ICN", "KOR", "SEOUL", 37.46, 126.44, 9),
        _a("NRT", "JPN", "TOKYO", 35.77, 140.39, 9),
        _a("HND", "JPN", "TOKYO", 35.55, 139.78, 9),
        _a("SIN", "SGP", "SINGAPORE", 1.36, 103.99, 8),
        _a("SGN", "VNM", "HO CHI MINH", 10.82, 106.65, 7),
        _a("SYD", "AUS", "SYDNEY", -33.95, 151.18, 10),
    )
}


def distance_km(a: Airport, b: Airport) -> float:
    """Great-circle distance between two airports."""
    return distance_between(a.code, b.code)


@functools.lru_cache(maxsize=8192)
def distance_between(origin: str, destination: str) -> float:
    """Great-circle distance between two airports given by IATA code."""
    a, b = AIRPORTS[origin], AIRPORTS[destination]
    la1, lo1, la2, lo2 = map(math.radians, (a.lat, a.lon, b.lat, b.lon))
    h = math.sin((la2 - la1) / 2) ** 2 + math.cos(la1) * math.cos(la2) * math.sin((lo2 - lo1) / 2) ** 2
    return 2 * 6371 * math.asin(math.sqrt(h))


@functools.lru_cache(maxsize=256)
def airports_in(country: str) -> tuple[Airport, ...]:
    """The airports of a country, in table order."""
    return tuple(a for a in AIRPORTS.values() if a.country == country)
