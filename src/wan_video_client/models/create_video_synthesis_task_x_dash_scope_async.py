from enum import StrEnum


class CreateVideoSynthesisTaskXDashScopeAsync(StrEnum):
    ENABLE = "enable"

    def __str__(self) -> str:
        return str(self.value)


__all__ = ["CreateVideoSynthesisTaskXDashScopeAsync"]
