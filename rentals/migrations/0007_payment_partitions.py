# Written by hand: payments on any date. Pagila partitions `payment` by month (range on
# payment_date, UTC month bounds) with partitions for 2022-01 ... 2022-07 only, so a payment dated
# today has nowhere to go and its insert fails (and with it the return that records it).
#
# The choice: both a DEFAULT partition and monthly partitions made ahead.
# - pagila_payment_partition(month) makes one month's partition the way Pagila's are laid out:
#   payment_pYYYY_MM, bounds at UTC month starts, its own foreign keys to customer, rental and
#   staff and its own indexes on customer_id and staff_id. Rows the default partition already
#   holds for that month move into it, so it can always be made.
# - This migration makes the current month's and the next PARTITION_MONTHS_AHEAD months'; every
#   `migrate` afterwards (`make run`, `make serve`, the Docker entrypoint) does the same through
#   rentals.payment_partitions, so the months a running store records payments in have their own
#   partition (partition pruning, and a month can be detached or archived on its own).
# - payment_default takes whatever has no partition: a server that ran past the months made
#   ahead without a migrate, the months between Pagila's data and this migration, a far date.
#   A payment never fails for want of a partition. A default-only layout would work too, but
#   every payment from 2022-08 on would pile into one unpruned table, and attaching a monthly
#   partition later would mean moving rows anyway.
# The reversal refuses while any partition it would drop holds a payment (they would be lost).

from django.db import migrations

from rentals.payment_partitions import PARTITION_MONTHS_AHEAD

CREATE = f"""
CREATE FUNCTION pagila_payment_partition_keys(p_partition text) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE format('ALTER TABLE %I ADD CONSTRAINT %I FOREIGN KEY (customer_id) '
                   'REFERENCES customer (customer_id)', p_partition, p_partition || '_customer_id_fkey');
    EXECUTE format('ALTER TABLE %I ADD CONSTRAINT %I FOREIGN KEY (rental_id) '
                   'REFERENCES rental (rental_id)', p_partition, p_partition || '_rental_id_fkey');
    EXECUTE format('ALTER TABLE %I ADD CONSTRAINT %I FOREIGN KEY (staff_id) '
                   'REFERENCES staff (staff_id)', p_partition, p_partition || '_staff_id_fkey');
    EXECUTE format('CREATE INDEX %I ON %I (customer_id)',
                   'idx_fk_' || p_partition || '_customer_id', p_partition);
    EXECUTE format('CREATE INDEX %I ON %I (staff_id)',
                   'idx_fk_' || p_partition || '_staff_id', p_partition);
END
$$;

CREATE FUNCTION pagila_payment_partition(p_month date) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
    first_day date := date_trunc('month', p_month::timestamp)::date;
    month_start timestamp with time zone := first_day::timestamp AT TIME ZONE 'UTC';
    month_end timestamp with time zone := (first_day + interval '1 month') AT TIME ZONE 'UTC';
    partition text := 'payment_p' || to_char(first_day, 'YYYY_MM');
BEGIN
    IF to_regclass(partition) IS NOT NULL THEN
        RETURN partition;
    END IF;
    EXECUTE format('CREATE TABLE %I (LIKE payment INCLUDING DEFAULTS)', partition);
    PERFORM pagila_payment_partition_keys(partition);
    EXECUTE format('WITH moved AS (DELETE FROM payment_default WHERE payment_date >= %L '
                   'AND payment_date < %L RETURNING *) INSERT INTO %I SELECT * FROM moved',
                   month_start, month_end, partition);
    EXECUTE format('ALTER TABLE payment ATTACH PARTITION %I FOR VALUES FROM (%L) TO (%L)',
                   partition, month_start, month_end);
    RETURN partition;
END
$$;

-- The current month's partition (UTC) and the next p_months'.
CREATE FUNCTION pagila_payment_partitions_ahead(p_months integer) RETURNS SETOF text
LANGUAGE sql AS $$
    SELECT pagila_payment_partition(((now() AT TIME ZONE 'UTC') + ahead * interval '1 month')::date)
      FROM generate_series(0, p_months) AS ahead
$$;

CREATE TABLE payment_default PARTITION OF payment DEFAULT;
SELECT pagila_payment_partition_keys('payment_default');
SELECT pagila_payment_partitions_ahead({PARTITION_MONTHS_AHEAD});
"""

# Every partition but Pagila's seven, if none holds a payment; then the functions.
DROP = """
DO $$
DECLARE
    added regclass;
    holds_payments boolean;
BEGIN
    FOR added IN
        SELECT inhrelid::regclass FROM pg_inherits
         WHERE inhparent = 'payment'::regclass
           AND inhrelid::regclass::text NOT IN ('payment_p2022_01', 'payment_p2022_02',
               'payment_p2022_03', 'payment_p2022_04', 'payment_p2022_05', 'payment_p2022_06',
               'payment_p2022_07')
    LOOP
        EXECUTE format('SELECT EXISTS (SELECT FROM %s)', added) INTO holds_payments;
        IF holds_payments THEN
            RAISE EXCEPTION 'partition % holds payments: delete or move them first', added;
        END IF;
        EXECUTE format('DROP TABLE %s', added);
    END LOOP;
END
$$;
DROP FUNCTION pagila_payment_partitions_ahead(integer);
DROP FUNCTION pagila_payment_partition(date);
DROP FUNCTION pagila_payment_partition_keys(text);
"""


class Migration(migrations.Migration):

    dependencies = [
        ('rentals', '0006_charge_rule_and_balance'),
    ]

    operations = [
        migrations.RunSQL(sql=CREATE, reverse_sql=DROP),
    ]
