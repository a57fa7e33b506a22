"""Lua scripts for the reminder store. Each runs atomically inside Redis, which is what makes a
claim exactly-once: two workers can never both remove the same id from the due set.

Keys: due (zset id -> due epoch), data (hash id -> reminder JSON), processing (zset id -> lease
deadline epoch), dead (list of dead-letter JSON).
"""

# KEYS: due, data, processing   ARGV: now, limit, lease_deadline
CLAIM = """
local ids = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[2]))
local out = {}
for _, id in ipairs(ids) do
  if redis.call('ZREM', KEYS[1], id) == 1 then
    local data = redis.call('HGET', KEYS[2], id)
    if data then
      redis.call('ZADD', KEYS[3], ARGV[3], id)
      table.insert(out, data)
    end
  end
end
return out
"""

# Settle a claimed reminder. KEYS: due, data, processing, dead
# ARGV: id, next_json ('' = finished), next_score, dead_json ('' = none), dead_keep
# Returns 1 when settled, 0 when it was cancelled meanwhile, -1 when this worker no longer held
# the lease (it expired and the reminder was recovered).
SETTLE = """
if redis.call('ZREM', KEYS[3], ARGV[1]) == 0 then return -1 end
if redis.call('HEXISTS', KEYS[2], ARGV[1]) == 0 then return 0 end
if ARGV[4] ~= '' then
  redis.call('LPUSH', KEYS[4], ARGV[4])
  redis.call('LTRIM', KEYS[4], 0, tonumber(ARGV[5]) - 1)
end
if ARGV[2] ~= '' then
  redis.call('HSET', KEYS[2], ARGV[1], ARGV[2])
  redis.call('ZADD', KEYS[1], ARGV[3], ARGV[1])
else
  redis.call('HDEL', KEYS[2], ARGV[1])
end
return 1
"""

# Return reminders whose lease expired (a worker died mid-delivery) to the due set.
# KEYS: due, data, processing   ARGV: now
RECOVER = """
local ids = redis.call('ZRANGEBYSCORE', KEYS[3], '-inf', ARGV[1])
local n = 0
for _, id in ipairs(ids) do
  redis.call('ZREM', KEYS[3], id)
  if redis.call('HEXISTS', KEYS[2], id) == 1 then
    redis.call('ZADD', KEYS[1], ARGV[1], id)
    n = n + 1
  end
end
return n
"""

# A reminder being delivered keeps its lease entry; without data, SETTLE and RECOVER drop it.
# KEYS: due, data   ARGV: id
CANCEL = """
local a = redis.call('ZREM', KEYS[1], ARGV[1])
local b = redis.call('HDEL', KEYS[2], ARGV[1])
return a + b
"""
