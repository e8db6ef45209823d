from enum import StrEnum


class Resolution(StrEnum):
    R1080P = "1080P"
    R480P = "480P"
    R720P = "720P"

    def __str__(self) -> str:
        return str(self.value)


__all__ = ["Resolution"]
