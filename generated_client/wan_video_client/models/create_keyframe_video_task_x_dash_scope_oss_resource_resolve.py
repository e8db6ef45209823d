from enum import StrEnum


class CreateKeyframeVideoTaskXDashScopeOssResourceResolve(StrEnum):
    ENABLE = "enable"

    def __str__(self) -> str:
        return str(self.value)
