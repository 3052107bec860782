async def seed_demo(session):
    pass


seed_admin = seed_demo
