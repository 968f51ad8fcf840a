// sellerhealth: marketplace seller-performance metrics, exactly as the platforms define them.
// The umbrella header; each part can also be included on its own.
#pragma once

#include "advice.hpp"
#include "amazon.hpp"
#include "calendar.hpp"
#include "events.hpp"
#include "ledger.hpp"
#include "marketplaces.hpp"
#include "policy.hpp"
#include "qoo10.hpp"
#include "rate.hpp"
#include "rejection.hpp"
#include "report.hpp"
#include "sharded.hpp"
#include "version.hpp"
#include "window.hpp"
