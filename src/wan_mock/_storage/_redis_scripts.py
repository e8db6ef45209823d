"""The Lua scripts of the Redis store (``_redis.RedisStore``): every write that depends on what
is stored is one of them, so hosts racing on a task cannot both win nor move it backwards. The
keys they are given are those ``_redis`` describes (a task's ``record:``, ``state:`` and
``count:``, a key's ``tasks:`` index and ``busy:`` set, ``rate:``, ``journal``, ``scenarios``);
numbers come as the host wrote them (``repr`` of a float), which ``tonumber`` reads exactly.
"""

from __future__ import annotations

from .._domain._lifecycle import lua_status_is

__all__ = [
    "CONSUME",
    "DOWNLOAD",
    "INSERT",
    "JOURNAL_ADD",
    "KEYS_LIVE",
    "PROGRESS",
    "QUERY",
    "RATE_HIT",
    "cancel_script",
]

#: Add ARGV-given amounts to a task's counters (a hash of its own, ``count:<id>``, expiring
#: with the task; outside its tracked state, so that counting a poll does not make every host
#: read the task again): false when the task is gone. Prefixed to the scripts that count.
_COUNT = """
local function count(record, counter, field, by)
  local left = redis.call('PTTL', record)
  if left == -2 then return false end
  local total = redis.call('HINCRBY', counter, field, by)
  if left > 0 then redis.call('PEXPIRE', counter, left) end
  return total
end
"""

#: Write a new task's record (ARGV[7]) and its counters (ARGV[5], [6]: polls and downloads,
#: when not 0), each expiring after ARGV[1] seconds, add it to its key's index (KEYS[3];
#: score ARGV[3], member ARGV[2]), expiring as long after, and the key (ARGV[8]) to the set of
#: keys (KEYS[4]). The index drops the tasks submitted before ARGV[4] (the TTL before it:
#: expired, even if never listed; an index a key keeps submitting to would otherwise grow for
#: as long as it does). The host works out that moment: in Lua, ``string.format`` and
#: ``tonumber`` cost the server ~5 µs per submit.
INSERT = """
redis.call('SET', KEYS[1], ARGV[7], 'EX', ARGV[1])
if ARGV[5] ~= '0' or ARGV[6] ~= '0' then
  redis.call('HSET', KEYS[2], 'polls', ARGV[5], 'downloads', ARGV[6])
  redis.call('EXPIRE', KEYS[2], ARGV[1])
end
redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', ARGV[4])
redis.call('ZADD', KEYS[3], ARGV[3], ARGV[2])
redis.call('EXPIRE', KEYS[3], ARGV[1])
redis.call('SADD', KEYS[4], ARGV[8])
return 1
"""

#: The keys of the set KEYS[1] whose index (ARGV[1] .. key) is still stored; the others leave
#: the set (in one script: a key whose first task comes meanwhile is not dropped).
KEYS_LIVE = """
local live = {}
for _, key in ipairs(redis.call('SMEMBERS', KEYS[1])) do
  if redis.call('EXISTS', ARGV[1] .. key) == 1 then
    live[#live + 1] = key
  else
    redis.call('SREM', KEYS[1], key)
  end
end
return live
"""

#: The start of the scripts that change a stored task (KEYS[1]: its record, KEYS[2]: its
#: state): 0 when the record is gone; else ``change(field, value)`` sets a field of the state,
#: which expires with the record.
_CHANGE = """
local left = redis.call('PTTL', KEYS[1])
if left == -2 then return 0 end
local function change(field, value)
  redis.call('HSET', KEYS[2], field, value)
  if left > 0 then redis.call('PEXPIRE', KEYS[2], left) end
end
"""


def cancel_script(statuses: frozenset[str]) -> str:
    """Cancel at ARGV[1] a stored task (KEYS: record, state, the key's busy set) whose status at
    ARGV[1] is one of ``statuses`` (``lifecycle.lua_status_is``: the store passes
    ``lifecycle.CANCELABLE``), from its schedule as changed since the submit (the state) or as
    submitted (ARGV[3], start; ARGV[5], end; ARGV[4], canceled or ''); and take it (ARGV[2]) out
    of the busy set."""
    return (
        _CHANGE
        + f"""
local state = redis.call('HMGET', KEYS[2], 'start_at', 'end_at', 'canceled_at')
local now = tonumber(ARGV[1])
local start_at = tonumber(state[1] or ARGV[3])
local end_at = tonumber(state[2] or ARGV[5])
local canceled_at = tonumber(state[3] or ARGV[4])  -- nil for '': not canceled
if not ({lua_status_is(statuses)}) then return 0 end
change('canceled_at', ARGV[1])
redis.call('ZREM', KEYS[3], ARGV[2])
return 1
"""
    )


#: A counted query of a stored task (KEYS: record, state, counters): one more poll, and its
#: state and counters (one list of fields and values), or false when it is gone.
QUERY = (
    _COUNT
    + """
if not count(KEYS[1], KEYS[3], 'polls', 1) then return false end
local fields = redis.call('HGETALL', KEYS[2])
for _, part in ipairs(redis.call('HGETALL', KEYS[3])) do fields[#fields + 1] = part end
return fields
"""
)

#: Start (ARGV[2]) and end (ARGV[3], or '') a stored task waiting for polls (KEYS: record,
#: state; ARGV[4], [5]: its start and end as submitted); never backwards: only a time still at
#: NEVER (ARGV[1]) moves.
PROGRESS = (
    _CHANGE
    + """
local state = redis.call('HMGET', KEYS[2], 'start_at', 'end_at')
local never = tonumber(ARGV[1])
if tonumber(state[1] or ARGV[4]) >= never then change('start_at', ARGV[2]) end
if ARGV[3] ~= '' and tonumber(state[2] or ARGV[5]) >= never then
  change('end_at', ARGV[3])
end
return 1
"""
)

#: One more download of a task still stored: the count so far (0 when the task is gone).
DOWNLOAD = (
    _COUNT
    + """
return count(KEYS[1], KEYS[2], 'downloads', 1) or 0
"""
)

#: Count a request at ARGV[1] unless ARGV[3] were counted in the ARGV[2] seconds before it;
#: false when counted, else the seconds until one would be (as a string: Lua numbers are cut
#: to integers on the way out).
RATE_HIT = """
local now, window, limit = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
if redis.call('ZCARD', KEYS[1]) >= limit then
  local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')[2]
  return tostring(math.max(0, tonumber(oldest) + window - now))
end
redis.call('ZADD', KEYS[1], now, ARGV[4])
redis.call('PEXPIRE', KEYS[1], math.ceil(window * 1000) + 1000)
return false
"""

#: Append journal entries (ARGV[2..]) keeping the newest ARGV[1], and add polls (the ARGV
#: after the entries) to the tasks of KEYS[2..] (pairs: a record, its counters) still stored.
JOURNAL_ADD = (
    _COUNT
    + """
local limit, entries = tonumber(ARGV[1]), tonumber(ARGV[2])
for first = 1, entries, 1000 do
  redis.call('LPUSH', KEYS[1], unpack(ARGV, 2 + first, 2 + math.min(entries, first + 999)))
end
redis.call('LTRIM', KEYS[1], 0, limit - 1)
for i = 2, #KEYS, 2 do
  count(KEYS[i], KEYS[i + 1], 'polls', ARGV[2 + entries + i / 2])
end
return 1
"""
)

#: Remove the queued scenario with id ARGV[1] (its entry starts with "[id,").
CONSUME = """
local prefix = '[' .. ARGV[1] .. ','
for _, entry in ipairs(redis.call('LRANGE', KEYS[1], 0, -1)) do
  if string.sub(entry, 1, #prefix) == prefix then
    redis.call('LREM', KEYS[1], 1, entry)
    return 1
  end
end
return 0
"""
