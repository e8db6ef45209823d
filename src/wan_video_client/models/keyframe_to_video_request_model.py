from enum import StrEnum


class KeyframeToVideoRequestModel(StrEnum):
    WAN2_1_KF2V_PLUS = "wan2.1-kf2v-plus"
    WAN2_2_KF2V_FLASH = "wan2.2-kf2v-flash"
    WANX2_1_KF2V_PLUS = "wanx2.1-kf2v-plus"

    def __str__(self) -> str:
        return str(self.value)


__all__ = ["KeyframeToVideoRequestModel"]
