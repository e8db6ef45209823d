from enum import StrEnum


class CreateVideoSynthesisTaskXDashScopeOssResourceResolve(StrEnum):
    ENABLE = "enable"

    def __str__(self) -> str:
        return str(self.value)
