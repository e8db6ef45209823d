from enum import IntEnum


class TextToVideoDuration(IntEnum):
    SECONDS_5 = 5
    SECONDS_10 = 10

    def __str__(self) -> str:
        return str(self.value)
