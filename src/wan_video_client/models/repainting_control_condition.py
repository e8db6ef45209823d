from enum import StrEnum


class RepaintingControlCondition(StrEnum):
    DEPTH = "depth"
    POSEBODY = "posebody"
    POSEBODYFACE = "posebodyface"
    SCRIBBLE = "scribble"

    def __str__(self) -> str:
        return str(self.value)


__all__ = ["RepaintingControlCondition"]
