from enum import StrEnum


class MaskType(StrEnum):
    FIXED = "fixed"
    TRACKING = "tracking"

    def __str__(self) -> str:
        return str(self.value)


__all__ = ["MaskType"]
