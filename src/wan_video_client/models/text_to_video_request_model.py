from enum import StrEnum


class TextToVideoRequestModel(StrEnum):
    WAN2_1_T2V_PLUS = "wan2.1-t2v-plus"
    WAN2_1_T2V_TURBO = "wan2.1-t2v-turbo"
    WAN2_2_T2V_PLUS = "wan2.2-t2v-plus"
    WAN2_5_T2V_PREVIEW = "wan2.5-t2v-preview"
    WANX2_1_T2V_PLUS = "wanx2.1-t2v-plus"
    WANX2_1_T2V_TURBO = "wanx2.1-t2v-turbo"

    def __str__(self) -> str:
        return str(self.value)


__all__ = ["TextToVideoRequestModel"]
