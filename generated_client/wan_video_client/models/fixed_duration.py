from enum import IntEnum


class FixedDuration(IntEnum):
    SECONDS_5 = 5

    def __str__(self) -> str:
        return str(self.value)
