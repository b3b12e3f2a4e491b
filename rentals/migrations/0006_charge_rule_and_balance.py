# Written by hand: the store's charge rule as SQL functions, the one definition that the return
# (its payment), the customer's balance, the overdue list, the admin and the dashboard all use.
#
# A rental's charge is its film's rental_rate, plus $1.00 for every whole day (24 hours) it was
# kept beyond the film's rental_duration; when it is late by more than 2 x rental_duration whole
# days the copy counts as lost and the late part is the film's replacement_cost instead. This is
# the rule of Pagila's own get_customer_balance() comment; 12,143 of the 15,866 payments of
# returned rentals equal it to the cent.
#
# get_customer_balance() as Pagila ships it calls MySQL's IF() and fails on PostgreSQL; it is
# replaced (same signature) by one that reads pagila_customer_balance(), which also returns the
# parts. The reversal puts Pagila's own text back, as the dump defines it.

from django.db import migrations

CREATE_FUNCTIONS = """
CREATE FUNCTION pagila_due_date(p_rental_date timestamp with time zone, p_rental_duration integer)
RETURNS timestamp with time zone LANGUAGE sql STABLE PARALLEL SAFE
AS $$ SELECT p_rental_date + p_rental_duration * interval '24 hours' $$;

-- Whole days kept beyond the rental's duration, until p_until (0 when on time).
CREATE FUNCTION pagila_days_late(p_rental_date timestamp with time zone,
                                 p_until timestamp with time zone, p_rental_duration integer)
RETURNS integer LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
    SELECT greatest(0, floor(extract(epoch FROM p_until - p_rental_date) / 86400)::integer
                       - p_rental_duration)
$$;

CREATE FUNCTION pagila_copy_lost(p_rental_date timestamp with time zone,
                                 p_until timestamp with time zone, p_rental_duration integer)
RETURNS boolean LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$ SELECT pagila_days_late(p_rental_date, p_until, p_rental_duration) > 2 * p_rental_duration $$;

CREATE FUNCTION pagila_late_fee(p_rental_date timestamp with time zone,
                                p_until timestamp with time zone, p_rental_duration integer,
                                p_replacement_cost numeric)
RETURNS numeric LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
    SELECT CASE WHEN pagila_copy_lost(p_rental_date, p_until, p_rental_duration)
                THEN p_replacement_cost
                ELSE pagila_days_late(p_rental_date, p_until, p_rental_duration) * 1.00 END
$$;

-- At p_as_of: the charges of the customer's rentals taken by then, each kept until its return or
-- p_as_of, whichever came first (least() skips a NULL return date), and the payments made by then.
CREATE FUNCTION pagila_customer_balance(p_customer_id integer, p_as_of timestamp with time zone)
RETURNS TABLE (rental_fees numeric, late_fees numeric, payments numeric, balance numeric)
LANGUAGE sql STABLE AS $$
    WITH charges AS (
        SELECT coalesce(sum(f.rental_rate), 0) AS rental_fees,
               coalesce(sum(pagila_late_fee(r.rental_date, least(r.return_date, p_as_of),
                                            f.rental_duration, f.replacement_cost)), 0) AS late_fees
          FROM rental r
          JOIN inventory i ON i.inventory_id = r.inventory_id
          JOIN film f ON f.film_id = i.film_id
         WHERE r.customer_id = p_customer_id AND r.rental_date <= p_as_of
    ), paid AS (
        SELECT coalesce(sum(p.amount), 0) AS payments
          FROM payment p
         WHERE p.customer_id = p_customer_id AND p.payment_date <= p_as_of
    )
    SELECT rental_fees, late_fees, payments, rental_fees + late_fees - payments FROM charges, paid
$$;

CREATE OR REPLACE FUNCTION get_customer_balance(p_customer_id integer,
                                                p_effective_date timestamp with time zone)
RETURNS numeric LANGUAGE sql STABLE
AS $$ SELECT balance FROM pagila_customer_balance(p_customer_id, p_effective_date) $$;
"""

# Pagila v3.1.0's definition, restored as the dump has it (it fails when called: IF()).
PAGILA_GET_CUSTOMER_BALANCE = """
CREATE OR REPLACE FUNCTION get_customer_balance(p_customer_id integer, p_effective_date timestamp with time zone) RETURNS numeric
    LANGUAGE plpgsql
    AS $$
       --#OK, WE NEED TO CALCULATE THE CURRENT BALANCE GIVEN A CUSTOMER_ID AND A DATE
       --#THAT WE WANT THE BALANCE TO BE EFFECTIVE FOR. THE BALANCE IS:
       --#   1) RENTAL FEES FOR ALL PREVIOUS RENTALS
       --#   2) ONE DOLLAR FOR EVERY DAY THE PREVIOUS RENTALS ARE OVERDUE
       --#   3) IF A FILM IS MORE THAN RENTAL_DURATION * 2 OVERDUE, CHARGE THE REPLACEMENT_COST
       --#   4) SUBTRACT ALL PAYMENTS MADE BEFORE THE DATE SPECIFIED
DECLARE
    v_rentfees DECIMAL(5,2); --#FEES PAID TO RENT THE VIDEOS INITIALLY
    v_overfees INTEGER;      --#LATE FEES FOR PRIOR RENTALS
    v_payments DECIMAL(5,2); --#SUM OF PAYMENTS MADE PREVIOUSLY
BEGIN
    SELECT COALESCE(SUM(film.rental_rate),0) INTO v_rentfees
    FROM film, inventory, rental
    WHERE film.film_id = inventory.film_id
      AND inventory.inventory_id = rental.inventory_id
      AND rental.rental_date <= p_effective_date
      AND rental.customer_id = p_customer_id;

    SELECT COALESCE(SUM(IF((rental.return_date - rental.rental_date) > (film.rental_duration * '1 day'::interval),
        ((rental.return_date - rental.rental_date) - (film.rental_duration * '1 day'::interval)),0)),0) INTO v_overfees
    FROM rental, inventory, film
    WHERE film.film_id = inventory.film_id
      AND inventory.inventory_id = rental.inventory_id
      AND rental.rental_date <= p_effective_date
      AND rental.customer_id = p_customer_id;

    SELECT COALESCE(SUM(payment.amount),0) INTO v_payments
    FROM payment
    WHERE payment.payment_date <= p_effective_date
    AND payment.customer_id = p_customer_id;

    RETURN v_rentfees + v_overfees - v_payments;
END
$$;
"""

DROP_FUNCTIONS = """
DROP FUNCTION pagila_customer_balance(integer, timestamp with time zone);
DROP FUNCTION pagila_late_fee(timestamp with time zone, timestamp with time zone, integer, numeric);
DROP FUNCTION pagila_copy_lost(timestamp with time zone, timestamp with time zone, integer);
DROP FUNCTION pagila_days_late(timestamp with time zone, timestamp with time zone, integer);
DROP FUNCTION pagila_due_date(timestamp with time zone, integer);
"""


class Migration(migrations.Migration):

    dependencies = [
        ('rentals', '0005_rental_functions'),
    ]

    operations = [
        migrations.RunSQL(
            sql=CREATE_FUNCTIONS, reverse_sql=PAGILA_GET_CUSTOMER_BALANCE + DROP_FUNCTIONS
        ),
    ]
