print("authorization-server: not built yet")
