from enum import StrEnum


class OptionalControlCondition(StrEnum):
    DEPTH = "depth"
    NONE = ""
    POSEBODYFACE = "posebodyface"

    def __str__(self) -> str:
        return str(self.value)


__all__ = ["OptionalControlCondition"]
