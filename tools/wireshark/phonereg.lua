-- Wireshark dissector for the PhoneFirmware registration protocol (docs/registration-protocol.md).
--
--   tshark -r capture.pcapng -X lua_script:tools/wireshark/phonereg.lua -d tcp.port==6800,phonereg -V
--
-- Frames: version(1) type(1) body-length(2, big-endian) body; the body is tag(1) length(1) value
-- fields. Mirrors Protocol/Registration/*.cs (RegistrationCodec, RegistrationFieldTag,
-- RegistrationMessageType, PinRequestReason); keep the tables below in step with them.
-- Registered on TCP port 6800 by default; Preferences → Protocols → PHONEREG changes it
-- (tshark: -o phonereg.tcp_port:N), and "Decode As" / -d tcp.port==N,phonereg works on any port.

local VERSION = 1
local HEADER_LENGTH = 4
local MAXIMUM_BODY_LENGTH = 1024
local DEFAULT_PORT = 6800

local phonereg = Proto("phonereg", "PhoneFirmware registration")

-- RegistrationMessageType
local message_types = {
    [1] = "Register",
    [2] = "PinRequest",
    [3] = "PinEntry",
    [4] = "Registered",
    [5] = "Redirect",
    [6] = "ClearPin",
    [7] = "Reset",
    [8] = "DisplayText",
    [9] = "KeyEvent",
    [10] = "Keepalive",
    [11] = "KeepaliveAck",
    [12] = "Error",
}

-- RegistrationFieldTag
local TAG_MAC, TAG_SET_TYPE, TAG_FIRMWARE, TAG_PIN, TAG_REASON, TAG_DN, TAG_DISPLAY_NAME = 1, 2, 3, 4, 5, 6, 7
local TAG_SAVE_PIN, TAG_HOST, TAG_PORT, TAG_TEXT, TAG_ROW, TAG_KEY, TAG_SEQUENCE = 8, 9, 10, 11, 12, 13, 14
local field_tags = {
    [TAG_MAC] = "Mac",
    [TAG_SET_TYPE] = "SetType",
    [TAG_FIRMWARE] = "FirmwareVersion",
    [TAG_PIN] = "Pin",
    [TAG_REASON] = "Reason",
    [TAG_DN] = "Dn",
    [TAG_DISPLAY_NAME] = "DisplayName",
    [TAG_SAVE_PIN] = "SavePin",
    [TAG_HOST] = "Host",
    [TAG_PORT] = "Port",
    [TAG_TEXT] = "Text",
    [TAG_ROW] = "Row",
    [TAG_KEY] = "Key",
    [TAG_SEQUENCE] = "Sequence",
}

-- PinRequestReason
local reasons = {
    [0] = "None",
    [1] = "NoneStored",
    [2] = "InvalidAccessCode",
    [3] = "AccessCodeMismatch",
    [4] = "DnInUse",
    [5] = "WrongPin",
    [6] = "LockedOut",
    [7] = "DnDeleted",
    [8] = "MacDeleted",
    [9] = "UnknownDn",
}

-- The phone's event text for a reason (PhoneCore), used in the Info column.
local reason_texts = {
    [1] = "none-stored",
    [2] = "invalid-access-code",
    [3] = "access-code-mismatch",
    [4] = "dn-in-use",
    [5] = "wrong-pin",
    [6] = "locked-out",
    [7] = "dn-deleted",
    [8] = "mac-deleted",
    [9] = "unknown-dn",
}

local f = {
    version = ProtoField.uint8("phonereg.version", "Version", base.DEC),
    type = ProtoField.uint8("phonereg.type", "Type", base.DEC, message_types),
    length = ProtoField.uint16("phonereg.length", "Body length", base.DEC),
    field = ProtoField.none("phonereg.field", "Field"),
    tag = ProtoField.uint8("phonereg.field.tag", "Tag", base.DEC, field_tags),
    field_length = ProtoField.uint8("phonereg.field.length", "Length", base.DEC),
    mac = ProtoField.ether("phonereg.mac", "MAC"),
    set_type = ProtoField.uint16("phonereg.set_type", "Set type", base.DEC),
    firmware = ProtoField.string("phonereg.firmware", "Firmware version"),
    pin = ProtoField.string("phonereg.pin", "PIN"),
    reason = ProtoField.uint8("phonereg.reason", "Reason", base.DEC, reasons),
    dn = ProtoField.string("phonereg.dn", "DN"),
    display_name = ProtoField.string("phonereg.display_name", "Display name"),
    save_pin = ProtoField.bool("phonereg.save_pin", "Save PIN", base.NONE),
    host = ProtoField.string("phonereg.host", "Host"),
    port = ProtoField.uint16("phonereg.port", "Port", base.DEC),
    text = ProtoField.string("phonereg.text", "Text"),
    row = ProtoField.uint8("phonereg.row", "Row", base.DEC),
    key = ProtoField.char("phonereg.key", "Key"),
    sequence = ProtoField.uint32("phonereg.sequence", "Sequence", base.DEC),
    unknown = ProtoField.bytes("phonereg.unknown", "Unknown field value"),
    unparsed = ProtoField.bytes("phonereg.unparsed", "Bytes after a bad header (framing lost)"),
}
phonereg.fields = f

local e = {
    bad_version = ProtoExpert.new("phonereg.version.unknown", "Unknown protocol version (receivers close the connection)",
        expert.group.MALFORMED, expert.severity.ERROR),
    oversized = ProtoExpert.new("phonereg.length.oversized", "Body length over 1024 bytes (receivers close the connection)",
        expert.group.MALFORMED, expert.severity.ERROR),
    bad_field = ProtoExpert.new("phonereg.field.malformed", "Malformed field (receivers close the connection)",
        expert.group.MALFORMED, expert.severity.ERROR),
    unknown_type = ProtoExpert.new("phonereg.type.unknown", "Unknown frame type",
        expert.group.UNDECODED, expert.severity.WARN),
    unknown_tag = ProtoExpert.new("phonereg.field.unknown", "Unknown field tag (skipped by receivers)",
        expert.group.UNDECODED, expert.severity.NOTE),
    truncated = ProtoExpert.new("phonereg.truncated", "Frame incomplete (TCP reassembly is off or the capture ended)",
        expert.group.MALFORMED, expert.severity.ERROR),
}
phonereg.experts = e

phonereg.prefs.tcp_port = Pref.uint("TCP port", DEFAULT_PORT, "TCP port of the controller's registration server")

-- Fixed lengths the decoder insists on (RegistrationCodec.DecodeBody).
local fixed_lengths = {
    [TAG_MAC] = 6, [TAG_SET_TYPE] = 2, [TAG_REASON] = 1, [TAG_SAVE_PIN] = 1,
    [TAG_PORT] = 2, [TAG_ROW] = 1, [TAG_KEY] = 1, [TAG_SEQUENCE] = 4,
}

local text_fields = {
    [TAG_FIRMWARE] = f.firmware, [TAG_PIN] = f.pin, [TAG_DN] = f.dn,
    [TAG_DISPLAY_NAME] = f.display_name, [TAG_HOST] = f.host, [TAG_TEXT] = f.text,
}

local function is_printable(range)
    local bytes = range:bytes()
    for i = 0, bytes:len() - 1 do
        local b = bytes:get_index(i)
        if b < 0x20 or b > 0x7e then
            return false
        end
    end
    return true
end

-- Adds one TLV field at offset and returns the offset after it; records its value in values[tag]
-- for the Info column, and values.malformed when the receivers would reject the frame.
local function dissect_field(tvb, offset, body_end, tree, values)
    local tag = tvb(offset, 1):uint()
    local name = field_tags[tag] or ("Unknown(" .. tag .. ")")
    if offset + 1 >= body_end then
        local item = tree:add(f.field, tvb(offset, 1)):set_text(name .. ": no length byte")
        item:add(f.tag, tvb(offset, 1))
        item:add_proto_expert_info(e.bad_field, "Field " .. tag .. " has no length")
        values.malformed = true
        return body_end
    end

    local length = tvb(offset + 1, 1):uint()
    local available = body_end - (offset + 2)
    local shown = math.min(length, available)
    local item = tree:add(f.field, tvb(offset, 2 + shown))
    item:add(f.tag, tvb(offset, 1))
    item:add(f.field_length, tvb(offset + 1, 1))
    if length > available then
        item:set_text(name .. ": runs past the frame")
        item:add_proto_expert_info(e.bad_field, "Field " .. tag .. " runs past the frame (" .. length .. " > " .. available .. " bytes left)")
        values.malformed = true
        return body_end
    end

    local value = tvb(offset + 2, length)
    local expected = fixed_lengths[tag]
    if expected ~= nil and length ~= expected then
        item:set_text(name .. ": " .. length .. " bytes, must be " .. expected)
        item:add_proto_expert_info(e.bad_field, "Field " .. tag .. " must be " .. expected .. " bytes, not " .. length)
        values.malformed = true
        return offset + 2 + length
    end

    local text
    if tag == TAG_MAC then
        item:add(f.mac, value)
        text = value:bytes():tohex(true, ":")
    elseif tag == TAG_SET_TYPE then
        item:add(f.set_type, value)
        text = tostring(value:uint())
    elseif tag == TAG_REASON then
        item:add(f.reason, value)
        local r = value:uint()
        text = reason_texts[r] or ("reason-" .. r)
    elseif tag == TAG_SAVE_PIN then
        item:add(f.save_pin, value)
        text = value:uint() ~= 0 and "yes" or "no"
    elseif tag == TAG_PORT then
        item:add(f.port, value)
        text = tostring(value:uint())
    elseif tag == TAG_ROW then
        item:add(f.row, value)
        text = tostring(value:uint())
    elseif tag == TAG_KEY then
        item:add(f.key, value)
        text = string.char(value:uint())
    elseif tag == TAG_SEQUENCE then
        item:add(f.sequence, value)
        text = tostring(value:uint())
    elseif text_fields[tag] ~= nil then
        if length > 0 then
            item:add(text_fields[tag], value)
            text = value:string()
        else
            item:add(text_fields[tag], tvb(offset + 1, 0), "")
            text = ""
        end
        if not is_printable(value) then
            item:add_proto_expert_info(e.bad_field, "Field " .. tag .. " is not printable ASCII")
            values.malformed = true
        end
    else
        if length > 0 then
            item:add(f.unknown, value)
        end
        item:add_proto_expert_info(e.unknown_tag)
    end

    if text ~= nil then
        item:set_text(name .. ": " .. text)
        values[tag] = text
    else
        item:set_text(name .. " (" .. length .. " bytes)")
    end
    return offset + 2 + length
end

local function quoted(text)
    return '"' .. (text or "") .. '"'
end

-- The Info column text of one frame.
local function summary(type, values)
    local name = message_types[type] or ("Unknown(" .. type .. ")")
    local v = values
    if type == 1 then
        return name .. " mac=" .. (v[TAG_MAC] or "none") .. " pin=" .. (v[TAG_PIN] ~= nil and "yes" or "no")
    elseif type == 2 or type == 6 then
        return name .. " reason=" .. (v[TAG_REASON] or "none")
    elseif type == 3 then
        return name .. " pin=" .. (v[TAG_PIN] or "none")
    elseif type == 4 then
        return name .. " dn=" .. (v[TAG_DN] or "") .. " name=" .. quoted(v[TAG_DISPLAY_NAME]) .. " save-pin=" .. (v[TAG_SAVE_PIN] or "no")
    elseif type == 5 then
        return name .. " host=" .. (v[TAG_HOST] or "") .. " port=" .. (v[TAG_PORT] or "6800") .. " save-pin=" .. (v[TAG_SAVE_PIN] or "no")
    elseif type == 7 or type == 12 then
        return name .. " text=" .. quoted(v[TAG_TEXT])
    elseif type == 8 then
        return name .. " row=" .. (v[TAG_ROW] or "0") .. " text=" .. quoted(v[TAG_TEXT])
    elseif type == 9 then
        return name .. " key=" .. (v[TAG_KEY] or "none")
    elseif type == 10 or type == 11 then
        return name .. " seq=" .. (v[TAG_SEQUENCE] or "0")
    end
    return name
end

-- Several frames can share a packet (and TCP may call us more than once for one packet):
-- the first frame of a packet replaces TCP's Info text, the rest are appended.
local info_packet, info_text = nil, nil
local function add_info(pinfo, text)
    local current = tostring(pinfo.cols.info)
    if info_packet == pinfo.number and current == info_text then
        info_text = current .. ", " .. text
    else
        info_text = text
    end
    info_packet = pinfo.number
    pinfo.cols.info:set(info_text)
end

-- One whole frame (header checked by the caller); tvb starts at its first byte.
local function dissect_frame(tvb, pinfo, tree, frame_length)
    local type = tvb(1, 1):uint()
    local body_length = tvb(2, 2):uint()
    local item = tree:add(phonereg, tvb(0, frame_length))
    item:add(f.version, tvb(0, 1))
    local type_item = item:add(f.type, tvb(1, 1))
    if message_types[type] == nil then
        type_item:add_proto_expert_info(e.unknown_type)
    end
    item:add(f.length, tvb(2, 2))

    local values = {}
    local offset = HEADER_LENGTH
    local body_end = HEADER_LENGTH + body_length
    while offset < body_end do
        offset = dissect_field(tvb, offset, body_end, item, values)
    end

    local text = summary(type, values)
    if values.malformed then
        text = text .. " [malformed]"
    end
    item:append_text(", " .. text)
    add_info(pinfo, text)
end

-- A header whose version or length cannot be trusted: the framing of everything after it is lost,
-- as it is for the receivers (they close the connection), so the rest of the segment is shown raw.
local function dissect_bad_header(tvb, pinfo, tree, offset, version, body_length)
    local rest = tvb:len() - offset
    local item = tree:add(phonereg, tvb(offset, rest))
    local version_item = item:add(f.version, tvb(offset, 1))
    if version ~= VERSION then
        version_item:add_proto_expert_info(e.bad_version, "Unknown protocol version " .. version .. " (expected " .. VERSION .. ")")
    end
    item:add(f.type, tvb(offset + 1, 1))
    local length_item = item:add(f.length, tvb(offset + 2, 2))
    if body_length > MAXIMUM_BODY_LENGTH then
        length_item:add_proto_expert_info(e.oversized, "Body length " .. body_length .. " exceeds " .. MAXIMUM_BODY_LENGTH)
    end
    if rest > HEADER_LENGTH then
        item:add(f.unparsed, tvb(offset + HEADER_LENGTH, rest - HEADER_LENGTH))
    end
    local text = version ~= VERSION and ("Bad version " .. version) or ("Oversized body length " .. body_length)
    item:append_text(", " .. text)
    add_info(pinfo, text)
end

function phonereg.dissector(tvb, pinfo, tree)
    local total = tvb:len()
    local offset = 0
    pinfo.cols.protocol = "PHONEREG"
    while offset < total do
        local remaining = total - offset
        if remaining < HEADER_LENGTH then
            if pinfo.can_desegment > 0 then
                pinfo.desegment_offset = offset
                pinfo.desegment_len = DESEGMENT_ONE_MORE_SEGMENT
                return total
            end
            tree:add(phonereg, tvb(offset, remaining)):add_proto_expert_info(e.truncated)
            return total
        end

        local version = tvb(offset, 1):uint()
        local body_length = tvb(offset + 2, 2):uint()
        if version ~= VERSION or body_length > MAXIMUM_BODY_LENGTH then
            dissect_bad_header(tvb, pinfo, tree, offset, version, body_length)
            return total
        end

        local frame_length = HEADER_LENGTH + body_length
        if remaining < frame_length then
            if pinfo.can_desegment > 0 then
                pinfo.desegment_offset = offset
                pinfo.desegment_len = frame_length - remaining
                return total
            end
            tree:add(phonereg, tvb(offset, remaining)):add_proto_expert_info(e.truncated)
            return total
        end

        dissect_frame(tvb(offset, frame_length):tvb(), pinfo, tree, frame_length)
        offset = offset + frame_length
    end
    return offset
end

local registered_port = nil
local function register_port(port)
    local tcp_port = DissectorTable.get("tcp.port")
    if registered_port ~= nil and registered_port ~= 0 then
        tcp_port:remove(registered_port, phonereg)
    end
    if port ~= 0 then
        tcp_port:add(port, phonereg)
    end
    registered_port = port
end

function phonereg.prefs_changed()
    if registered_port ~= phonereg.prefs.tcp_port then
        register_port(phonereg.prefs.tcp_port)
    end
end

register_port(DEFAULT_PORT)
