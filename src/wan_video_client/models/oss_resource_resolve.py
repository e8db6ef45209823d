from enum import StrEnum


class OssResourceResolve(StrEnum):
    ENABLE = "enable"

    def __str__(self) -> str:
        return str(self.value)


__all__ = ["OssResourceResolve"]
