[Usr]
RootHash=not-a-hash
