from enum import StrEnum


class SdkFunctionName(StrEnum):
    VIDEO_SYNTHESIS = "video-synthesis"

    def __str__(self) -> str:
        return str(self.value)


__all__ = ["SdkFunctionName"]
