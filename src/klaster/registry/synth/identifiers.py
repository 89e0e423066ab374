"""Valid ИНН and ОГРН for synthetic organisations: real checksums, numbers no real firm is known to hold."""

import numpy as np

INN10_WEIGHTS = np.array([2, 4, 10, 3, 5, 9, 4, 6, 8])


def inn10(region_codes: np.ndarray, serials: np.ndarray) -> list[str]:
    """ИНН of legal entities: region (2) + tax office (2) + serial (5) + check digit.

    The serial's top digits go into the tax-office pair, so up to 10^7 distinct numbers per region."""
    tax_office = (serials // 100_000) % 100
    serial = serials % 100_000
    digits = np.zeros((len(serials), 9), dtype=np.int64)
    region = region_codes.astype(np.int64)
    digits[:, 0], digits[:, 1] = region // 10, region % 10
    digits[:, 2], digits[:, 3] = tax_office // 10, tax_office % 10
    for i in range(5):
        digits[:, 4 + i] = (serial // 10 ** (4 - i)) % 10
    check = (digits @ INN10_WEIGHTS) % 11 % 10
    return ["".join(map(str, row)) + str(c) for row, c in zip(digits.tolist(), check.tolist(), strict=True)]


def ogrn13(region_codes: np.ndarray, years: np.ndarray, serials: np.ndarray) -> list[str]:
    """ОГРН: sign 1 + year (2) + region (2) + tax-office and serial (7) + check = first 12 digits mod 11 mod 10."""
    out = []
    for region, year, serial in zip(region_codes.tolist(), years.tolist(), serials.tolist(), strict=True):
        body = f"1{year % 100:02d}{int(region):02d}{serial % 10_000_000:07d}"
        out.append(body + str(int(body) % 11 % 10))
    return out
