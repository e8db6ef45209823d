"""Contains all the data models used in inputs/outputs"""

from .cancel_response import CancelResponse
from .create_keyframe_video_task_x_dash_scope_async import (
    CreateKeyframeVideoTaskXDashScopeAsync,
)
from .create_video_synthesis_task_x_dash_scope_async import (
    CreateVideoSynthesisTaskXDashScopeAsync,
)
from .error_response import ErrorResponse
from .expand_mode import ExpandMode
from .get_upload_policy_action import GetUploadPolicyAction
from .image_reference_input import ImageReferenceInput
from .image_reference_parameters import ImageReferenceParameters
from .image_reference_request import ImageReferenceRequest
from .image_to_video_input import ImageToVideoInput
from .image_to_video_parameters import ImageToVideoParameters
from .image_to_video_request import ImageToVideoRequest
from .image_to_video_request_model import ImageToVideoRequestModel
from .keyframe_to_video_input import KeyframeToVideoInput
from .keyframe_to_video_parameters import KeyframeToVideoParameters
from .keyframe_to_video_request import KeyframeToVideoRequest
from .keyframe_to_video_request_model import KeyframeToVideoRequestModel
from .mask_type import MaskType
from .obj_or_bg_item import ObjOrBgItem
from .optional_control_condition import OptionalControlCondition
from .oss_resource_resolve import OssResourceResolve
from .repainting_control_condition import RepaintingControlCondition
from .resolution import Resolution
from .sdk_function_name import SdkFunctionName
from .task_list_item import TaskListItem
from .task_list_response import TaskListResponse
from .task_output import TaskOutput
from .task_query_response import TaskQueryResponse
from .task_status import TaskStatus
from .task_submit_output import TaskSubmitOutput
from .task_submit_response import TaskSubmitResponse
from .text_to_video_input import TextToVideoInput
from .text_to_video_parameters import TextToVideoParameters
from .text_to_video_request import TextToVideoRequest
from .text_to_video_request_model import TextToVideoRequestModel
from .upload_policy import UploadPolicy
from .upload_policy_response import UploadPolicyResponse
from .usage import Usage
from .vace_model import VaceModel
from .video_duration import VideoDuration
from .video_edit_input import VideoEditInput
from .video_edit_parameters import VideoEditParameters
from .video_edit_request import VideoEditRequest
from .video_extension_input import VideoExtensionInput
from .video_extension_parameters import VideoExtensionParameters
from .video_extension_request import VideoExtensionRequest
from .video_outpainting_input import VideoOutpaintingInput
from .video_outpainting_parameters import VideoOutpaintingParameters
from .video_outpainting_request import VideoOutpaintingRequest
from .video_repainting_input import VideoRepaintingInput
from .video_repainting_parameters import VideoRepaintingParameters
from .video_repainting_request import VideoRepaintingRequest
from .video_size import VideoSize

__all__ = (
    "CancelResponse",
    "CreateKeyframeVideoTaskXDashScopeAsync",
    "CreateVideoSynthesisTaskXDashScopeAsync",
    "ErrorResponse",
    "ExpandMode",
    "GetUploadPolicyAction",
    "ImageReferenceInput",
    "ImageReferenceParameters",
    "ImageReferenceRequest",
    "ImageToVideoInput",
    "ImageToVideoParameters",
    "ImageToVideoRequest",
    "ImageToVideoRequestModel",
    "KeyframeToVideoInput",
    "KeyframeToVideoParameters",
    "KeyframeToVideoRequest",
    "KeyframeToVideoRequestModel",
    "MaskType",
    "ObjOrBgItem",
    "OptionalControlCondition",
    "OssResourceResolve",
    "RepaintingControlCondition",
    "Resolution",
    "SdkFunctionName",
    "TaskListItem",
    "TaskListResponse",
    "TaskOutput",
    "TaskQueryResponse",
    "TaskStatus",
    "TaskSubmitOutput",
    "TaskSubmitResponse",
    "TextToVideoInput",
    "TextToVideoParameters",
    "TextToVideoRequest",
    "TextToVideoRequestModel",
    "UploadPolicy",
    "UploadPolicyResponse",
    "Usage",
    "VaceModel",
    "VideoDuration",
    "VideoEditInput",
    "VideoEditParameters",
    "VideoEditRequest",
    "VideoExtensionInput",
    "VideoExtensionParameters",
    "VideoExtensionRequest",
    "VideoOutpaintingInput",
    "VideoOutpaintingParameters",
    "VideoOutpaintingRequest",
    "VideoRepaintingInput",
    "VideoRepaintingParameters",
    "VideoRepaintingRequest",
    "VideoSize",
)
