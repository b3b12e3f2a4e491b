# Written by hand: taking a copy back records its payment in the same statement, so a return
# and its payment are written together or not at all.
#
# pagila_rental_return(rental_id, staff_id DEFAULT NULL) replaces pagila_rental_return(rental_id)
# of migration 0005. Its checks, in order: the rental exists (rental_not_found), the staff member
# given exists (staff_not_found), the copy is still out (already_returned). It then sets the
# return date and inserts the payment for the rental's charge (migration 0006's rule, kept until
# the return date), dated at the return and taken by the staff member given or else the rental's.
# It returns the rental's row as 0005 does, then the payment's: its id, date, staff member
# (payment_staff_id), amount and the amount's parts (rentals.representation.RETURN_COLUMNS).

from importlib import import_module

from django.db import migrations

RENTAL_FUNCTIONS = import_module('rentals.migrations.0005_rental_functions')
# 0005's own pagila_rental_return(integer), which the reversal creates again.
RETURN_WITHOUT_PAYMENT = RENTAL_FUNCTIONS.CREATE_FUNCTIONS[
    RENTAL_FUNCTIONS.CREATE_FUNCTIONS.index('CREATE FUNCTION pagila_rental_return'):
]

RETURN_WITH_PAYMENT = f"""
DROP FUNCTION pagila_rental_return(integer);

CREATE FUNCTION pagila_rental_return(p_rental_id integer, p_staff_id integer DEFAULT NULL)
RETURNS TABLE ({RENTAL_FUNCTIONS.RENTAL_ROW},
    payment_id integer, payment_date timestamp with time zone, payment_staff_id integer,
    amount numeric, rental_fee numeric, late_fee numeric, lost boolean)
LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
    returned_at timestamp with time zone;
    taken_by integer;
BEGIN
    -- Locked until the transaction ends: of two simultaneous returns, the second sees the first.
    SELECT r.return_date, coalesce(p_staff_id, r.staff_id) INTO returned_at, taken_by
      FROM rental r WHERE r.rental_id = p_rental_id FOR NO KEY UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION USING ERRCODE = '23R00', MESSAGE = 'rental_not_found';
    END IF;
    IF p_staff_id IS NOT NULL AND NOT EXISTS (SELECT FROM staff s WHERE s.staff_id = p_staff_id)
    THEN
        RAISE EXCEPTION USING ERRCODE = '23R00', MESSAGE = 'staff_not_found';
    END IF;
    IF returned_at IS NOT NULL THEN
        RAISE EXCEPTION USING ERRCODE = '23R00', MESSAGE = 'already_returned';
    END IF;
    RETURN QUERY
    WITH returned AS (
        UPDATE rental r SET return_date = clock_timestamp() WHERE r.rental_id = p_rental_id
        RETURNING r.rental_id, r.rental_date, r.inventory_id, r.customer_id, r.staff_id,
                  r.return_date
    ), charged AS (
        SELECT returned.*, f.film_id, f.title, i.store_id, f.rental_rate AS rental_fee,
               pagila_late_fee(returned.rental_date, returned.return_date, f.rental_duration,
                               f.replacement_cost) AS late_fee,
               pagila_copy_lost(returned.rental_date, returned.return_date,
                                f.rental_duration) AS lost
          FROM returned
          JOIN inventory i ON i.inventory_id = returned.inventory_id
          JOIN film f ON f.film_id = i.film_id
    ), paid AS (
        INSERT INTO payment (customer_id, staff_id, rental_id, amount, payment_date)
        SELECT charged.customer_id, taken_by, charged.rental_id,
               charged.rental_fee + charged.late_fee, charged.return_date
          FROM charged
        RETURNING payment.payment_id, payment.payment_date, payment.staff_id, payment.amount
    )
    SELECT charged.rental_id, charged.rental_date, charged.inventory_id, charged.customer_id,
           charged.staff_id, charged.return_date, charged.film_id, charged.title,
           charged.store_id, paid.payment_id, paid.payment_date, paid.staff_id, paid.amount,
           charged.rental_fee, charged.late_fee, charged.lost
      FROM charged CROSS JOIN paid;
END
$$;
"""

RESTORE_RETURN_WITHOUT_PAYMENT = f"""
DROP FUNCTION pagila_rental_return(integer, integer);
{RETURN_WITHOUT_PAYMENT}
"""


class Migration(migrations.Migration):

    dependencies = [
        ('rentals', '0007_payment_partitions'),
    ]

    operations = [
        migrations.RunSQL(sql=RETURN_WITH_PAYMENT, reverse_sql=RESTORE_RETURN_WITHOUT_PAYMENT),
    ]
