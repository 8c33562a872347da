from enum import Enum


class RecordHintType(str, Enum):
    OFFSET = "OFFSET"
    PATTERN = "PATTERN"
