from enum import StrEnum


class VaceSize(StrEnum):
    S1088X832 = "1088*832"
    S1280X720 = "1280*720"
    S720X1280 = "720*1280"
    S832X1088 = "832*1088"
    S960X960 = "960*960"

    def __str__(self) -> str:
        return str(self.value)
