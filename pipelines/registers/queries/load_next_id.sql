SELECT nextval('register_loads_id_seq')
