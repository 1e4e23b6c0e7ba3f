@_exported import JournalStore
