"""Federal subjects: 2-digit code ↔ ISO 3166-2 (HFLabs table; Russian codes for Crimea and
Sevastopol). A copy, not an import of the registry: the rules never depend on Django apps."""

ISO_BY_CODE = {
    "01": "RU-AD",
    "02": "RU-BA",
    "03": "RU-BU",
    "04": "RU-AL",
    "05": "RU-DA",
    "06": "RU-IN",
    "07": "RU-KB",
    "08": "RU-KL",
    "09": "RU-KC",
    "10": "RU-KR",
    "11": "RU-KO",
    "12": "RU-ME",
    "13": "RU-MO",
    "14": "RU-SA",
    "15": "RU-SE",
    "16": "RU-TA",
    "17": "RU-TY",
    "18": "RU-UD",
    "19": "RU-KK",
    "20": "RU-CE",
    "21": "RU-CU",
    "22": "RU-ALT",
    "23": "RU-KDA",
    "24": "RU-KYA",
    "25": "RU-PRI",
    "26": "RU-STA",
    "27": "RU-KHA",
    "28": "RU-AMU",
    "29": "RU-ARK",
    "30": "RU-AST",
    "31": "RU-BEL",
    "32": "RU-BRY",
    "33": "RU-VLA",
    "34": "RU-VGG",
    "35": "RU-VLG",
    "36": "RU-VOR",
    "37": "RU-IVA",
    "38": "RU-IRK",
    "39": "RU-KGD",
    "40": "RU-KLU",
    "41": "RU-KAM",
    "42": "RU-KEM",
    "43": "RU-KIR",
    "44": "RU-KOS",
    "45": "RU-KGN",
    "46": "RU-KRS",
    "47": "RU-LEN",
    "48": "RU-LIP",
    "49": "RU-MAG",
    "50": "RU-MOS",
    "51": "RU-MUR",
    "52": "RU-NIZ",
    "53": "RU-NGR",
    "54": "RU-NVS",
    "55": "RU-OMS",
    "56": "RU-ORE",
    "57": "RU-ORL",
    "58": "RU-PNZ",
    "59": "RU-PER",
    "60": "RU-PSK",
    "61": "RU-ROS",
    "62": "RU-RYA",
    "63": "RU-SAM",
    "64": "RU-SAR",
    "65": "RU-SAK",
    "66": "RU-SVE",
    "67": "RU-SMO",
    "68": "RU-TAM",
    "69": "RU-TVE",
    "70": "RU-TOM",
    "71": "RU-TUL",
    "72": "RU-TYU",
    "73": "RU-ULY",
    "74": "RU-CHE",
    "75": "RU-ZAB",
    "76": "RU-YAR",
    "77": "RU-MOW",
    "78": "RU-SPE",
    "79": "RU-YEV",
    "83": "RU-NEN",
    "86": "RU-KHM",
    "87": "RU-CHU",
    "89": "RU-YAN",
    "91": "RU-CR",
    "92": "RU-SEV",
}
# Subjects without an ISO 3166-2 code (2022) and Baikonur.
CODES_WITHOUT_ISO = ("90", "93", "94", "95", "99")
CODE_BY_ISO = {iso: code for code, iso in ISO_BY_CODE.items()}


def region_code(value: str) -> str:
    """ "40", "4" or "RU-KLU" → "40"; anything else raises ValueError with a Russian message."""
    text = str(value).strip()
    if text.upper() in CODE_BY_ISO:
        return CODE_BY_ISO[text.upper()]
    if text.isdigit() and len(text) <= 2:
        code = text.zfill(2)
        if code in ISO_BY_CODE or code in CODES_WITHOUT_ISO:
            return code
    raise ValueError(f"Регион: неизвестный код «{value}»; ожидается код субъекта («40») или ISO 3166-2 («RU-KLU»)")


def region_iso(code: str) -> str:
    """The ISO code where one exists, else the 2-digit code."""
    return ISO_BY_CODE.get(code, code)
