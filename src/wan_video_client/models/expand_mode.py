from enum import StrEnum


class ExpandMode(StrEnum):
    BBOX = "bbox"
    HULL = "hull"
    ORIGINAL = "original"

    def __str__(self) -> str:
        return str(self.value)


__all__ = ["ExpandMode"]
