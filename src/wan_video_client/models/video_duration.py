from enum import IntEnum


class VideoDuration(IntEnum):
    SECONDS_3 = 3
    SECONDS_4 = 4
    SECONDS_5 = 5
    SECONDS_10 = 10

    def __str__(self) -> str:
        return str(self.value)


__all__ = ["VideoDuration"]
