#include "engine/records.hpp"

namespace ts::engine {

const char* to_string(Channel c) {
    switch (c) {
        case Channel::direct:
            return "direct";
        case Channel::licensed:
            return "licensed";
        case Channel::transshipped:
            return "transshipped";
        case Channel::diverted:
            return "diverted";
        case Channel::remote:
            return "remote";
    }
    return "?";
}

const char* to_string(EventKind e) {
    switch (e) {
        case EventKind::announced:
            return "announced";
        case EventKind::in_force:
            return "in_force";
        case EventKind::lapsed:
            return "lapsed";
        case EventKind::triggered:
            return "triggered";
        case EventKind::launched:
            return "launched";
        case EventKind::capacity:
            return "capacity";
    }
    return "?";
}

}  // namespace ts::engine
