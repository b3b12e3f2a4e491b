# Written by hand: the rental rules as two PL/pgSQL functions beside Pagila's inventory_in_stock(),
# so that one statement rents a copy out or takes it back, with every check, for any writer.
#
# Both return the rental as the API shows it: the rental's columns, its film's id and title and
# its copy's store (rentals.representation.RENTAL_COLUMNS names them in this order). A rule that
# says no raises SQLSTATE 23R00 with the rule's name as the message (rentals.services maps it to
# the domain error), so nothing is written and the caller's transaction knows it failed. 23R00 is
# our code in the standard class 23, integrity constraint violation: clients (psycopg, Django)
# take it for a refused write on a healthy connection, not for a broken one.
# The dates are clock_timestamp(), read after the row locks are held, not the transaction's start.

from django.db import migrations

RENTAL_ROW = """
    rental_id integer, rental_date timestamp with time zone, inventory_id integer,
    customer_id integer, staff_id integer, return_date timestamp with time zone,
    film_id integer, title text, store_id integer
"""

CREATE_FUNCTIONS = f"""
CREATE FUNCTION pagila_rental_create(p_customer_id integer, p_inventory_id integer,
                                     p_staff_id integer)
RETURNS TABLE ({RENTAL_ROW})
LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
    customer_active integer;
    staff_found boolean;
    copy_film_id integer;
    copy_store_id integer;
BEGIN
    SELECT c.active, EXISTS (SELECT FROM staff s WHERE s.staff_id = p_staff_id)
      INTO customer_active, staff_found
      FROM customer c WHERE c.customer_id = p_customer_id;
    IF NOT FOUND THEN
        RAISE EXCEPTION USING ERRCODE = '23R00', MESSAGE = 'customer_not_found';
    END IF;
    -- Locked until the transaction ends: two clerks renting this copy are served in turn.
    SELECT i.film_id, i.store_id INTO copy_film_id, copy_store_id
      FROM inventory i WHERE i.inventory_id = p_inventory_id FOR NO KEY UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION USING ERRCODE = '23R00', MESSAGE = 'inventory_not_found';
    END IF;
    IF NOT staff_found THEN
        RAISE EXCEPTION USING ERRCODE = '23R00', MESSAGE = 'staff_not_found';
    END IF;
    IF customer_active IS DISTINCT FROM 1 THEN
        RAISE EXCEPTION USING ERRCODE = '23R00', MESSAGE = 'customer_inactive';
    END IF;
    IF EXISTS (SELECT FROM rental r WHERE r.inventory_id = p_inventory_id
               AND r.return_date IS NULL) THEN
        RAISE EXCEPTION USING ERRCODE = '23R00', MESSAGE = 'copy_not_available';
    END IF;
    -- The partial unique index rental_one_open_per_inventory (0003) is the backstop: a writer
    -- that did not lock the copy and rented it meanwhile makes the insert do nothing.
    RETURN QUERY
    WITH rented AS (
        INSERT INTO rental (rental_date, inventory_id, customer_id, staff_id)
        VALUES (clock_timestamp(), p_inventory_id, p_customer_id, p_staff_id)
        ON CONFLICT (inventory_id) WHERE return_date IS NULL DO NOTHING
        RETURNING rental_id, rental_date, inventory_id, customer_id, staff_id, return_date
    )
    SELECT rented.*, f.film_id, f.title, copy_store_id
      FROM rented JOIN film f ON f.film_id = copy_film_id;
    IF NOT FOUND THEN
        RAISE EXCEPTION USING ERRCODE = '23R00', MESSAGE = 'copy_not_available';
    END IF;
END
$$;

CREATE FUNCTION pagila_rental_return(p_rental_id integer)
RETURNS TABLE ({RENTAL_ROW})
LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
    returned_at timestamp with time zone;
BEGIN
    -- Locked until the transaction ends: of two simultaneous returns, the second sees the first.
    SELECT r.return_date INTO returned_at
      FROM rental r WHERE r.rental_id = p_rental_id FOR NO KEY UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION USING ERRCODE = '23R00', MESSAGE = 'rental_not_found';
    END IF;
    IF returned_at IS NOT NULL THEN
        RAISE EXCEPTION USING ERRCODE = '23R00', MESSAGE = 'already_returned';
    END IF;
    RETURN QUERY
    WITH returned AS (
        UPDATE rental r SET return_date = clock_timestamp() WHERE r.rental_id = p_rental_id
        RETURNING r.rental_id, r.rental_date, r.inventory_id, r.customer_id, r.staff_id,
                  r.return_date
    )
    SELECT returned.*, f.film_id, f.title, i.store_id
      FROM returned
      JOIN inventory i ON i.inventory_id = returned.inventory_id
      JOIN film f ON f.film_id = i.film_id;
END
$$;
"""

DROP_FUNCTIONS = """
DROP FUNCTION IF EXISTS pagila_rental_return(integer);
DROP FUNCTION IF EXISTS pagila_rental_create(integer, integer, integer);
"""


class Migration(migrations.Migration):

    dependencies = [
        ('rentals', '0004_idempotency_key_moves_to_the_api'),
    ]

    operations = [
        migrations.RunSQL(sql=CREATE_FUNCTIONS, reverse_sql=DROP_FUNCTIONS),
    ]
