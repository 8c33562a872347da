class RecordParseHint:
    def __init__(self, recordHintType, pattern, offset):
        self.recordHintType = recordHintType
        self.pattern = pattern
        self.offset = offset
