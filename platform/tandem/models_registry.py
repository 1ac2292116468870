"""Imports every model module so Base.metadata is complete (for Alembic and schema checks)."""

from .core import audit, jobs  # noqa: F401
from .core.db import Base
from .dashboards import models as dashboards_models  # noqa: F401
from .feedback import models as feedback_models  # noqa: F401
from .goals import models as goals_models  # noqa: F401
from .learning import models as learning_models  # noqa: F401
from .mentoring import models as mentoring_models  # noqa: F401
from .people import models as people_models  # noqa: F401

metadata = Base.metadata
