from enum import StrEnum


class ObjOrBgItem(StrEnum):
    BG = "bg"
    OBJ = "obj"

    def __str__(self) -> str:
        return str(self.value)


__all__ = ["ObjOrBgItem"]
