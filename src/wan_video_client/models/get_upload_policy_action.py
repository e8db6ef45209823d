from enum import StrEnum


class GetUploadPolicyAction(StrEnum):
    GETPOLICY = "getPolicy"

    def __str__(self) -> str:
        return str(self.value)


__all__ = ["GetUploadPolicyAction"]
