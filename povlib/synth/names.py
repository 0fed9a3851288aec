"""Invented names for the synthetic panel: heads of household and villages.

Family and given names common in Bắc Kạn (Tày, Nùng, Dao and Kinh), village
names built from Tày–Nùng place-name parts ("Nà", "Khuổi", "Pác" ...), and
"Tổ 1", "Tổ 2" ... for the quarters of a town. They belong to no one.

Examples
--------
>>> import numpy as np
>>> from povlib.synth.names import head_names, village_names
>>> village_names(np.random.default_rng(0), 3, urban=True)
['Tổ 1', 'Tổ 2', 'Tổ 3']
>>> head_names(np.array([0, 1]), np.array([0, 0]), np.array([False, True])).tolist()
['Hoàng Văn Tùng', 'Nông Thị Hoa']
"""
from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["FAMILY", "GIVEN_M", "GIVEN_F", "N_GIVEN", "village_names", "head_names", "pick_villages"]

FAMILY = ["Hoàng", "Nông", "Ma", "Triệu", "Lý", "Đặng", "Hà", "La", "Bàn", "Nguyễn", "Lục", "Lường", "Dương", "Trần", "Phùng"]
GIVEN_M = ["Tùng", "Hùng", "Dũng", "Sơn", "Thành", "Quang", "Minh", "Đức", "Chiến", "Kiên", "Phúc", "Hải", "Tuấn", "Bình"]
GIVEN_F = ["Hoa", "Lan", "Mai", "Hương", "Nhung", "Thu", "Hà", "Liên", "Thảo", "Huyền", "Vân", "Duyên", "Hằng", "Ngọc"]
#: given names per sex (a household draws an index below it)
N_GIVEN = 14
_VILLAGE_A = ["Nà", "Bản", "Khuổi", "Pác", "Cốc", "Phiêng", "Lủng", "Nặm", "Bó", "Khau", "Tổng", "Cuôn"]
_VILLAGE_B = ["Pài", "Lạn", "Mỏ", "Quân", "Tàu", "Đăm", "Vài", "Chủ", "Chang", "Ngòa", "Làng", "Mèo", "Pục", "Nghè", "Tâm", "Dầy"]


def village_names(rng: np.random.Generator, n: int, urban: bool) -> list[str]:
    """``n`` village names of one commune: 'Tổ 1'.. in a town, else distinct 'Thôn Nà Pài'-like names, sorted."""
    if urban:
        return [f"Tổ {i + 1}" for i in range(n)]
    combos = [f"Thôn {a} {b}" for a in _VILLAGE_A for b in _VILLAGE_B]
    idx = rng.choice(len(combos), size=n, replace=False)
    return sorted(combos[i] for i in idx)


def head_names(family: np.ndarray, given: np.ndarray, female: np.ndarray) -> np.ndarray:
    """Full names of heads of household from drawn indices: family, 'Văn'/'Thị', given name."""
    first = np.where(female, np.array(GIVEN_F)[given], np.array(GIVEN_M)[given])
    return (pd.Series(np.array(FAMILY)[family]) + np.where(female, " Thị ", " Văn ") + pd.Series(first)).to_numpy()


def pick_villages(villages: list[list[str]], u: np.ndarray, v_idx: np.ndarray) -> np.ndarray:
    """Village name per household, vectorised through one flat lookup table."""
    offsets = np.concatenate([[0], np.cumsum([len(v) for v in villages])[:-1]])
    flat = np.array([name for v in villages for name in v], dtype=object)
    return flat[offsets[u] + v_idx]
