"""Chinese numerals as printed in headings: 十四 → 14, 二十一 → 21, 一百零五 → 105."""

_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5,
           "六": 6, "七": 7, "八": 8, "九": 9}
_UNITS = {"十": 10, "百": 100}


def chinese_to_int(text: str) -> int:
    """The value of a Chinese numeral, or 0 when text is none.

    >>> [chinese_to_int(s) for s in ("十四", "二十", "二十一", "一百零五", "五十", "x")]
    [14, 20, 21, 105, 50, 0]
    """
    total, digit = 0, None
    for ch in text:
        if ch in _DIGITS:
            digit = _DIGITS[ch]
        elif ch in _UNITS:
            total += (digit if digit is not None else 1) * _UNITS[ch]
            digit = None
        else:
            return 0
    return total + (digit or 0)
