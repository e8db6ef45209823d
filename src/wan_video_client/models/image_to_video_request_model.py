from enum import StrEnum


class ImageToVideoRequestModel(StrEnum):
    WAN2_1_I2V_PLUS = "wan2.1-i2v-plus"
    WAN2_1_I2V_TURBO = "wan2.1-i2v-turbo"
    WAN2_2_I2V_FLASH = "wan2.2-i2v-flash"
    WAN2_2_I2V_PLUS = "wan2.2-i2v-plus"
    WAN2_5_I2V_PREVIEW = "wan2.5-i2v-preview"
    WANX2_1_I2V_PLUS = "wanx2.1-i2v-plus"
    WANX2_1_I2V_TURBO = "wanx2.1-i2v-turbo"

    def __str__(self) -> str:
        return str(self.value)


__all__ = ["ImageToVideoRequestModel"]
