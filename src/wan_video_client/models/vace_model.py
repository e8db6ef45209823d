from enum import StrEnum


class VaceModel(StrEnum):
    WAN2_1_VACE_PLUS = "wan2.1-vace-plus"
    WANX2_1_VACE_PLUS = "wanx2.1-vace-plus"

    def __str__(self) -> str:
        return str(self.value)


__all__ = ["VaceModel"]
